package dev.ringway.core.dtls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Our engine on a real UDP socket on loopback, driven the way Ringway's loop will drive it: one
 * thread, {@code System.nanoTime()}, datagrams in, timers. As a server it fronts the address with
 * the cookie gate. An optional impairment between the socket and the engine drops and reorders
 * datagrams both ways with a seeded random during the handshake, standing in for a lossy relay
 * (application lines are not retransmitted by DTLS, so the exchange after it runs clean).
 */
final class UdpEndpoint implements AutoCloseable {
  final DatagramChannel channel;
  final Selector selector;
  final DtlsStats stats = new DtlsStats();
  final List<String> received = new ArrayList<>();
  DtlsSession session;
  DtlsCookieGate gate;
  DtlsServerConfig serverConfig;
  SocketAddress peer;
  double loss;
  boolean reorder;
  Random random = new Random(7);
  DtlsException error;
  String replyOnData;
  private final ArrayDeque<byte[]> heldOut = new ArrayDeque<>();
  private final ArrayDeque<byte[]> heldIn = new ArrayDeque<>();
  private final ByteBuffer in = ByteBuffer.allocateDirect(65536);
  private final ByteBuffer reply = ByteBuffer.allocate(2048);

  final DtlsSession.Output out =
      new DtlsSession.Output() {
        @Override
        public void transmit(ByteBuffer d) {
          byte[] b = Link.bytes(d);
          if (impaired() && random.nextDouble() < loss) {
            return;
          }
          if (impaired() && reorder && heldOut.isEmpty() && random.nextDouble() < 0.3) {
            heldOut.add(b);
            return;
          }
          write(b);
          while (!heldOut.isEmpty()) {
            write(heldOut.poll());
          }
        }

        @Override
        public void deliver(ByteBuffer a) {
          String s = StandardCharsets.UTF_8.decode(a).toString();
          received.add(s);
          if (replyOnData != null) {
            session.send(
                ByteBuffer.wrap(replyOnData.getBytes(StandardCharsets.UTF_8)),
                System.nanoTime(),
                this);
          }
        }
      };

  private UdpEndpoint() throws IOException {
    channel = DatagramChannel.open();
    channel.bind(new InetSocketAddress("127.0.0.1", 0));
    channel.configureBlocking(false);
    selector = Selector.open();
    channel.register(selector, SelectionKey.OP_READ);
  }

  static UdpEndpoint client(DtlsClientConfig config, int serverPort) throws IOException {
    UdpEndpoint e = new UdpEndpoint();
    e.peer = new InetSocketAddress("127.0.0.1", serverPort);
    e.session = DtlsSession.client(config, e.stats);
    return e;
  }

  static UdpEndpoint server(DtlsServerConfig config) throws IOException {
    UdpEndpoint e = new UdpEndpoint();
    e.serverConfig = config;
    e.gate = new DtlsCookieGate(config, e.stats);
    return e;
  }

  private boolean impaired() {
    return loss > 0 && (session == null || !session.isHandshakeComplete());
  }

  int port() throws IOException {
    return ((InetSocketAddress) channel.getLocalAddress()).getPort();
  }

  private void write(byte[] b) {
    try {
      channel.send(ByteBuffer.wrap(b), peer);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  void start() {
    try {
      session.start(System.nanoTime(), out);
    } catch (DtlsException e) {
      error = e;
    }
  }

  /** Drives the engine until {@code done} holds or {@code millis} pass; false on timeout. */
  boolean runUntil(java.util.function.BooleanSupplier done, long millis) throws IOException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (!done.getAsBoolean()) {
      long now = System.nanoTime();
      if (now > deadline || (error != null)) {
        return done.getAsBoolean();
      }
      long wake = session == null ? deadline : Math.min(deadline, session.nextTimerNanos());
      long waitMillis = Math.max(1, (wake - now) / 1_000_000L);
      selector.select(Math.min(waitMillis, 50));
      selector.selectedKeys().clear();
      SocketAddress from;
      while ((from = receiveOne()) != null) {
        byte[] d = new byte[in.remaining()];
        in.get(d);
        if (impaired() && random.nextDouble() < loss) {
          continue;
        }
        if (impaired() && reorder && heldIn.isEmpty() && random.nextDouble() < 0.3) {
          heldIn.add(d);
          continue;
        }
        handle(d, from);
        while (!heldIn.isEmpty()) {
          handle(heldIn.poll(), from);
        }
      }
      if (session != null) {
        try {
          session.onTimer(System.nanoTime(), out);
        } catch (DtlsException e) {
          error = e;
        }
      }
    }
    return true;
  }

  private SocketAddress receiveOne() throws IOException {
    in.clear();
    SocketAddress from = channel.receive(in);
    in.flip();
    return from;
  }

  private void handle(byte[] d, SocketAddress from) {
    long now = System.nanoTime();
    try {
      if (session == null) {
        InetSocketAddress a = (InetSocketAddress) from;
        byte[] ip = a.getAddress().getAddress();
        byte[] address = java.util.Arrays.copyOf(ip, ip.length + 2);
        address[ip.length] = (byte) (a.getPort() >>> 8);
        address[ip.length + 1] = (byte) a.getPort();
        reply.clear();
        DtlsCookieGate.Verdict v = gate.check(ByteBuffer.wrap(d), address, now, reply);
        if (v == DtlsCookieGate.Verdict.REPLY) {
          reply.flip();
          peer = from;
          out.transmit(reply);
        } else if (v == DtlsCookieGate.Verdict.ACCEPT) {
          peer = from;
          session = DtlsSession.server(serverConfig, gate.accepted(), stats);
          session.start(now, out);
        }
        return;
      }
      if (!from.equals(peer)) {
        return;
      }
      session.receive(ByteBuffer.wrap(d), now, out);
      while (session.hasTask()) {
        session.takeTask().run();
        session.resume(System.nanoTime(), out);
      }
    } catch (DtlsException e) {
      error = e;
    }
  }

  void send(String s) {
    session.send(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)), System.nanoTime(), out);
  }

  @Override
  public void close() throws IOException {
    selector.close();
    channel.close();
  }
}
