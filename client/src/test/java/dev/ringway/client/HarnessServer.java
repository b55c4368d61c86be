package dev.ringway.client;

import dev.ringway.core.auth.AuthResult;
import dev.ringway.core.auth.Authenticator;
import dev.ringway.core.conn.Connection;
import dev.ringway.core.conn.ConnectionState;
import dev.ringway.core.conn.ConnectionTimeouts;
import dev.ringway.core.conn.DisconnectReason;
import dev.ringway.core.conn.DtlsAdmission;
import dev.ringway.core.conn.ServerSettings;
import dev.ringway.core.conn.UdpDemux;
import dev.ringway.core.ip.IpPool;
import dev.ringway.core.ip.Ipv4Cidr;
import dev.ringway.core.tls.DtlsFront;
import dev.ringway.core.tls.TlsEndpoint;
import dev.ringway.core.tls.Transport;
import dev.ringway.core.wire.AuthRequest;
import dev.ringway.core.wire.ProtocolVersion;
import dev.ringway.core.wire.SessionId;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A test harness standing in for the Ringway server, which is built separately: the server's side
 * of the protocol made only from {@code core} — {@link UdpDemux} (or one connection per accepted
 * stream, {@link #acceptStream}), {@link Connection#server} and a real {@link Authenticator} — with
 * no io_uring loop, no TUN and no pool routing. Its owner moves datagrams ({@link #receive}), runs
 * {@link #tick()} and executes what it posts to {@code self}, all on one thread; the counters are
 * for the test thread.
 */
final class HarnessServer<A> {
  /** Where the harness's datagrams, or stream bytes, go. */
  interface Wire<A> {
    void send(A peer, ByteBuffer bytes);

    /** A stream connection to {@code peer} ended: close its socket once its bytes are out. */
    default void ended(A peer) {}
  }

  final Queue<byte[]> insideReceived = new ConcurrentLinkedQueue<>();
  final Queue<DisconnectReason> endings = new ConcurrentLinkedQueue<>();
  final AtomicInteger connectionsCreated = new AtomicInteger();
  final AtomicInteger onlineCount = new AtomicInteger();

  private final TlsEndpoint tls;
  private final Authenticator authenticator;
  private final Executor workers;
  private final Executor self;
  private final LongSupplier clock;
  private final Wire<A> wire;
  private final UdpDemux<A> demux;
  private final IpPool pool;
  private final DtlsFront front;
  private final ServerSettings settings = ServerSettings.defaults();
  private final List<Connection> live = new ArrayList<>();
  private final Map<Connection, A> streamPeers = new IdentityHashMap<>();
  private final SplittableRandom random = new SplittableRandom(3);
  private final Host host = new Host();

  HarnessServer(
      TlsEndpoint tls,
      Authenticator authenticator,
      Executor workers,
      Executor self,
      LongSupplier clock,
      Wire<A> wire) {
    this.tls = tls;
    this.authenticator = authenticator;
    this.workers = workers;
    this.self = self;
    this.clock = clock;
    this.wire = wire;
    this.pool =
        new IpPool(
            Ipv4Cidr.parse("10.125.0.0/24"),
            List.of(settings.clientIp(), settings.serverIp(), settings.dnsIp()),
            new SplittableRandom(1));
    this.front = tls.dtlsFront(clock);
    this.demux =
        new UdpDemux<>(
            this::newConnection,
            wire::send,
            new DtlsAdmission<>(
                front,
                peer -> peer.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                wire::send),
            new SplittableRandom(2));
  }

  /** A datagram from {@code peer}. */
  void receive(A peer, ByteBuffer datagram) {
    demux.receive(peer, datagram);
  }

  /**
   * A new TCP connection from {@code peer}: a server connection at protocol 1.1 (no outer header);
   * its owner feeds it bytes with {@link Connection#receiveStream} and ends it with {@link
   * Connection#streamClosed}.
   */
  Connection acceptStream(A peer) {
    Connection connection =
        Connection.server(
            tls.newSession(Transport.STREAM, clock),
            settings,
            pool,
            ProtocolVersion.V1_1,
            SessionId.random(random),
            ConnectionTimeouts.defaults(),
            clock,
            host);
    streamPeers.put(connection, peer);
    live.add(connection);
    connectionsCreated.incrementAndGet();
    return connection;
  }

  /** Runs the timers of every connection that is due. */
  void tick() {
    long now = clock.getAsLong();
    for (Connection connection : List.copyOf(live)) {
      long deadline = connection.nextDeadlineNanos();
      if (deadline != Long.MAX_VALUE && now - deadline >= 0) {
        connection.onTimer();
      }
    }
  }

  /** Sends {@code packet} through the tunnel to every online client; returns how many took it. */
  int sendInside(byte[] packet) {
    int sent = 0;
    for (Connection connection : live) {
      if (connection.state() == ConnectionState.ONLINE
          && connection.sendInside(ByteBuffer.wrap(packet.clone()))) {
        sent++;
      }
    }
    return sent;
  }

  private Connection newConnection(A peer, ProtocolVersion version, SessionId session) {
    Connection connection =
        Connection.server(
            front.accept(),
            settings,
            pool,
            version,
            session,
            ConnectionTimeouts.defaults(),
            clock,
            host);
    live.add(connection);
    connectionsCreated.incrementAndGet();
    return connection;
  }

  private final class Host implements Connection.Host {
    @Override
    public void sendOutside(Connection connection, ByteBuffer bytes) {
      A peer =
          streamPeers.containsKey(connection)
              ? streamPeers.get(connection)
              : demux.peerOf(connection);
      if (peer != null) {
        wire.send(peer, bytes);
      }
    }

    @Override
    public void deliverInside(Connection connection, ByteBuffer buffer, int offset, int length) {
      byte[] packet = new byte[length];
      buffer.get(offset, packet);
      insideReceived.add(packet);
    }

    @Override
    public void runDelegated(Connection connection, Runnable task) {
      workers.execute(() -> {
        task.run();
        self.execute(connection::resumeTls);
      });
    }

    @Override
    public void authenticate(Connection connection, AuthRequest request) {
      InetAddress peer = InetAddress.getLoopbackAddress();
      workers.execute(() -> {
        AuthResult result = authenticator.authenticate(peer, request);
        self.execute(() -> connection.completeAuth(result));
      });
    }

    @Override
    public void online(Connection connection) {
      onlineCount.incrementAndGet();
    }

    @Override
    public void disconnected(Connection connection, DisconnectReason reason) {
      live.remove(connection);
      endings.add(reason);
      A streamPeer = streamPeers.remove(connection);
      if (streamPeer != null) {
        wire.ended(streamPeer);
      } else {
        demux.remove(connection);
      }
    }
  }
}
