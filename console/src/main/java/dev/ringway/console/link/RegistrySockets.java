package dev.ringway.console.link;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.rmi.server.RMIClientSocketFactory;
import java.time.Duration;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sockets for the registry lookup that starts every JMX connection. RMI's own sockets connect with
 * no time limit, so behind a firewall that drops packets the banner would say "connecting" for the
 * kernel's two minutes; these give up after {@code timeout}. (Waiting for the answer is bounded by
 * RMI's handshake timeout, which {@link ServerLink} shortens.)
 *
 * @param tls whether the registry speaks TLS ({@code jmx.tls}); trust as {@link ClientTls} set it
 */
record RegistrySockets(Duration timeout, boolean tls) implements RMIClientSocketFactory {
  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), Math.toIntExact(timeout.toMillis()));
      if (tls) {
        return ((SSLSocketFactory) SSLSocketFactory.getDefault())
            .createSocket(socket, host, port, true);
      }
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }
}
