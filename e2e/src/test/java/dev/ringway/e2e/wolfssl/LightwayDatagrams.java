package dev.ringway.e2e.wolfssl;

import dev.ringway.testkit.wolfssl.DatagramIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;

/**
 * wolfSSL's datagrams as lightway-core's {@code TlsIOAdapter} handles them over UDP: every datagram
 * wolfSSL sends gets the outer header (the connection's wire version, aggressive byte 0, no
 * Expresslane, the current session id) and, until the connection is online, goes out three times;
 * every datagram received loses its header before wolfSSL sees the DTLS bytes behind it.
 *
 * <p>The session id follows lightway-core's client rule: it starts empty and adopts the id in the
 * header of a datagram that yielded at least one frame ({@link #adoptSession()}, called by the
 * client after each frame), so handshake-only datagrams never change it.
 */
final class LightwayDatagrams implements DatagramIo, AutoCloseable {
  private final DatagramChannel channel;
  private final Selector selector;
  private final int major;
  private final int minor;
  private final ByteBuffer inbound = ByteBuffer.allocate(65535);
  private final ByteBuffer outbound = ByteBuffer.allocate(65535);
  private long session = LightwayHeader.EMPTY_SESSION;
  private long lastHeaderSession = LightwayHeader.EMPTY_SESSION;
  private boolean aggressive = true;
  private long sent;
  private long received;
  private long malformed;
  private long rejects;

  /** Over {@code channel}, connected to the server (it may be bound in another namespace). */
  LightwayDatagrams(DatagramChannel channel, int major, int minor) throws IOException {
    this.channel = channel;
    this.major = major;
    this.minor = minor;
    channel.configureBlocking(false);
    selector = Selector.open();
    channel.register(selector, SelectionKey.OP_READ);
  }

  @Override
  public void send(ByteBuffer datagram) throws IOException {
    outbound.clear();
    new LightwayHeader(major, minor, false, session).writeTo(outbound);
    outbound.put(datagram).flip();
    // lightway-core sends each datagram three times until the connection is online, so a lost
    // handshake or auth datagram costs no retransmission timeout.
    int copies = aggressive ? 3 : 1;
    for (int i = 0; i < copies; i++) {
      channel.write(outbound.duplicate());
      sent++;
    }
  }

  @Override
  public ByteBuffer receive() throws IOException {
    while (true) {
      inbound.clear();
      if (channel.receive(inbound) == null) {
        return null;
      }
      inbound.flip();
      received++;
      LightwayHeader header = LightwayHeader.readFrom(inbound);
      if (header == null || header.expresslane()) {
        malformed++;
        continue;
      }
      if (header.session() == LightwayHeader.REJECTED_SESSION) {
        rejects++;
        continue;
      }
      lastHeaderSession = header.session();
      return ByteBuffer.allocate(inbound.remaining()).put(inbound).flip();
    }
  }

  /** Waits up to {@code limit} for a datagram; true when one is there. */
  boolean await(Duration limit) throws IOException {
    int ready = selector.select(Math.max(1, limit.toMillis()));
    selector.selectedKeys().clear();
    return ready > 0;
  }

  /** After a frame: the session id the last datagram's header carried becomes ours. */
  void adoptSession() {
    if (lastHeaderSession != LightwayHeader.EMPTY_SESSION && lastHeaderSession != session) {
      session = lastHeaderSession;
    }
  }

  /** Online: one copy of each datagram from now on. */
  void online() {
    aggressive = false;
  }

  long session() {
    return session;
  }

  /** Datagrams written to the socket, copies included. */
  long sent() {
    return sent;
  }

  /** What went by, for a failure message. */
  String statistics() {
    return "datagrams sent %d, received %d, malformed %d, reject notices %d"
        .formatted(sent, received, malformed, rejects);
  }

  @Override
  public void close() throws IOException {
    selector.close();
    channel.close();
  }
}
