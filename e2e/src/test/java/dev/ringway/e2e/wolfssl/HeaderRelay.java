package dev.ringway.e2e.wolfssl;

import dev.ringway.core.wire.OuterHeader;
import dev.ringway.core.wire.ProtocolVersion;
import dev.ringway.core.wire.SessionId;
import dev.ringway.core.wire.WireException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback relay between a Lightway client and a plain DTLS server (wolfSSL's example server): it
 * checks and strips the outer header of what the client sends, with the server's codec ({@link
 * OuterHeader}), and puts one on what the server answers, the way a Lightway server would (its
 * version, a session id of the relay's). So a DTLS server that knows nothing of Lightway can face
 * the client's header handling.
 */
final class HeaderRelay implements AutoCloseable {
  private final DatagramChannel front;
  private final DatagramChannel back;
  private final Selector selector;
  private final ProtocolVersion version;
  private final SessionId session;
  private final List<OuterHeader> fromClient = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private final Thread thread;
  private SocketAddress client;

  private HeaderRelay(int serverPort, ProtocolVersion version, SessionId session)
      throws IOException {
    this.version = version;
    this.session = session;
    front = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    back =
        DatagramChannel.open()
            .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort));
    front.configureBlocking(false);
    back.configureBlocking(false);
    selector = Selector.open();
    front.register(selector, SelectionKey.OP_READ);
    back.register(selector, SelectionKey.OP_READ);
    thread = Thread.ofPlatform().daemon(true).name("header-relay").start(this::run);
  }

  /** A relay to the DTLS server on loopback {@code serverPort}, answering with {@code session}. */
  static HeaderRelay start(int serverPort, ProtocolVersion version, SessionId session)
      throws IOException {
    return new HeaderRelay(serverPort, version, session);
  }

  /** Where the client sends its datagrams. */
  SocketAddress address() throws IOException {
    return front.getLocalAddress();
  }

  /** The headers of every datagram the client sent so far, in order. */
  synchronized List<OuterHeader> headersFromClient() {
    return List.copyOf(fromClient);
  }

  /** Datagrams from the client that were not Lightway datagrams, by what was wrong. */
  synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  private void run() {
    ByteBuffer in = ByteBuffer.allocate(65535);
    ByteBuffer out = ByteBuffer.allocate(65535);
    try {
      while (selector.isOpen()) {
        selector.select();
        selector.selectedKeys().clear();
        SocketAddress from;
        while ((from = front.receive(in.clear())) != null) {
          client = from;
          in.flip();
          try {
            OuterHeader header = OuterHeader.decode(in);
            synchronized (this) {
              fromClient.add(header);
            }
            back.write(in);
          } catch (PortUnreachableException e) {
            // The server does not listen yet: the datagram is lost and DTLS retransmits it.
          } catch (WireException e) {
            synchronized (this) {
              problems.add(e.toString());
            }
          }
        }
        while (readFromServer(in.clear()) > 0) {
          if (client == null) {
            continue;
          }
          in.flip();
          out.clear();
          OuterHeader.encode(out, version, false, session);
          out.put(in).flip();
          front.send(out, client);
        }
      }
    } catch (ClosedSelectorException | IOException e) {
      // Closed under the loop: the relay ends.
    }
  }

  private int readFromServer(ByteBuffer in) throws IOException {
    try {
      return back.read(in);
    } catch (PortUnreachableException e) {
      return 0;
    }
  }

  @Override
  public void close() throws Exception {
    selector.close();
    front.close();
    back.close();
    thread.join(5000);
  }
}
