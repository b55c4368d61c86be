package dev.ringway.server.jmx;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.server.RMIServerSocketFactory;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The connector's listening sockets: on one local address only (the RMI default listens on all),
 * optionally TLS, optionally requiring a client certificate. Equal factories share one listening
 * port, which is how the RMI registry and the connector server end up on the same one.
 *
 * <p>The RMI registry lets any client whose address is local bind, rebind and unbind names — on a
 * loopback connector that is every client, so a local user could replace {@code jmxrmi} with a stub
 * of their own and collect the passwords of everyone who connects next. The registry decides
 * "local" from the accepted socket's peer address, and refuses a peer whose address is unknown; so
 * the sockets accepted here report none. The real peer is kept for the login limiter: RMI reads a
 * call on the thread that then runs it, so every read records the peer for that thread ({@link
 * #currentPeer()}).
 *
 * @param clientAuth whether a TLS client must present a certificate the context trusts
 */
record ConnectorSockets(InetAddress address, SSLContext tls, boolean clientAuth)
    implements RMIServerSocketFactory {

  private static final ThreadLocal<InetAddress> PEER = new ThreadLocal<>();

  /** The peer of the connection whose call this thread runs, if it came through these sockets. */
  static Optional<InetAddress> currentPeer() {
    return Optional.ofNullable(PEER.get());
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    return new PeerHidingServerSocket(port, address, tls, clientAuth);
  }

  private static final class PeerHidingServerSocket extends ServerSocket {
    private final SSLContext tls;
    private final boolean clientAuth;

    PeerHidingServerSocket(int port, InetAddress address, SSLContext tls, boolean clientAuth)
        throws IOException {
      super(port, 50, address);
      this.tls = tls;
      this.clientAuth = clientAuth;
    }

    @Override
    public Socket accept() throws IOException {
      AnonymousSocket socket = new AnonymousSocket();
      implAccept(socket);
      if (tls == null) {
        return socket;
      }
      // Layered over the anonymous socket, so that the TLS socket reports no peer either; the
      // handshake runs on the connection's thread, at its first read.
      SSLSocket secured =
          (SSLSocket) tls.getSocketFactory().createSocket(socket, (InputStream) null, true);
      secured.setNeedClientAuth(clientAuth);
      return secured;
    }
  }

  /** A connected socket that keeps its peer address to itself (see the type's comment). */
  private static final class AnonymousSocket extends Socket {
    @Override
    public InetAddress getInetAddress() {
      return null;
    }

    @Override
    public InputStream getInputStream() throws IOException {
      InetAddress peer = super.getInetAddress();
      return new FilterInputStream(super.getInputStream()) {
        @Override
        public int read() throws IOException {
          PEER.set(peer);
          return super.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          PEER.set(peer);
          return super.read(buffer, offset, length);
        }
      };
    }
  }
}
