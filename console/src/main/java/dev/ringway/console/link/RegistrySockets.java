package dev.ringway.console.link;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.rmi.server.RMIClientSocketFactory;
import java.time.Duration;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sockets for the registry lookup that starts every JMX connection. RMI's own sockets connect with
 * no time limit, so behind a firewall that drops packets the banner would say "connecting" for the
 * kernel's two minutes; these give up after {@code timeout}. (Waiting for the answer is bounded by
 * RMI's handshake timeout, which {@link ServerLink} shortens.)
 *
 * <p>Over TLS the registry's certificate must name {@code host}, as the JDK's own RMI TLS sockets
 * (which the server's stubs carry) require unless {@value #CHECK_HOST} is false; checking the
 * registry alone less strictly would only move the failure to the next connection.
 *
 * @param tls whether the registry speaks TLS ({@code jmx.tls}); trust as {@link ClientTls} set it
 */
record RegistrySockets(Duration timeout, boolean tls) implements RMIClientSocketFactory {
  /** The JDK's switch for host name checks in {@code SslRMIClientSocketFactory}. */
  static final String CHECK_HOST = "jdk.rmi.ssl.client.enableEndpointIdentification";

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), Math.toIntExact(timeout.toMillis()));
      if (tls) {
        SSLSocket secured =
            (SSLSocket)
                ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(socket, host, port, true);
        if (Boolean.parseBoolean(System.getProperty(CHECK_HOST, "true"))) {
          SSLParameters parameters = secured.getSSLParameters();
          parameters.setEndpointIdentificationAlgorithm("HTTPS");
          secured.setSSLParameters(parameters);
        }
        return secured;
      }
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }
}
