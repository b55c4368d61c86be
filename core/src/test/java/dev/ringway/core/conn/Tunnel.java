package dev.ringway.core.conn;

import dev.ringway.core.auth.Authenticator;
import dev.ringway.core.auth.FailureRateLimiter;
import dev.ringway.core.auth.TokenVerifier;
import dev.ringway.core.auth.UserDatabase;
import dev.ringway.core.ip.IpPool;
import dev.ringway.core.ip.Ipv4Cidr;
import dev.ringway.core.tls.DtlsFront;
import dev.ringway.core.tls.SelfSigned;
import dev.ringway.core.tls.TlsEndpoint;
import dev.ringway.core.tls.Transport;
import dev.ringway.core.tls.TrustPolicy;
import dev.ringway.core.wire.AuthRequest;
import dev.ringway.core.wire.ProtocolVersion;
import dev.ringway.core.wire.SessionId;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A server and clients joined by an in-memory network in virtual time: the test plays the event
 * loop and the worker pool. Server datagrams go through a real {@link UdpDemux}; TCP uses one
 * server connection per client. Auth is real (user database with SHA-512-crypt, RS256 tokens).
 */
final class Tunnel {
  static final SelfSigned IDENTITY = SelfSigned.generate("ringway.test", List.of("ringway.test"));
  static final TlsEndpoint SERVER_TLS =
      TlsEndpoint.server(List.of(IDENTITY.certificate()), IDENTITY.privateKey());
  static final TlsEndpoint CLIENT_TLS =
      TlsEndpoint.client(TrustPolicy.authorities(List.of(IDENTITY.certificate())));

  /** "secret" hashed with SHA-512-crypt (openssl passwd -6 -salt ringway secret). */
  static final String ALICE =
      "alice:$6$ringway$mQhdk7/Ua5CEtlXTW0m5kl.RqsfsbWJ9reO6A0T8gJcRWUpyahKfHS8GAFToplYyjUN0rqwsJajwyBXj3QKes1";

  static final KeyPair TOKEN_KEY = rsa();

  final AtomicLong clock = new AtomicLong(1_000_000_000L);
  final Transport transport;
  final IpPool pool;
  final Authenticator authenticator;
  final ServerSettings settings = ServerSettings.defaults();
  final ConnectionTimeouts timeouts = ConnectionTimeouts.defaults();
  final UdpDemux<String> demux;
  final DtlsFront front;
  final ServerHost serverHost = new ServerHost();
  final List<Peer> clients = new ArrayList<>();
  final Map<UdpDemux.Outcome, Integer> outcomes = new EnumMap<>(UdpDemux.Outcome.class);
  final List<byte[]> rejectsSent = new ArrayList<>();
  final ArrayDeque<Runnable> workQueue = new ArrayDeque<>();
  private final Random impairment;
  double drop;
  double duplicate;
  double reorder;

  /** TCP: deliver everything queued in one read, as a real socket may coalesce segments. */
  boolean coalesce;

  Tunnel(Transport transport) {
    this(transport, 0, 0, 0, 0, Ipv4Cidr.parse("10.125.0.0/24"));
  }

  Tunnel(
      Transport transport,
      long seed,
      double drop,
      double duplicate,
      double reorder,
      Ipv4Cidr range) {
    this.transport = transport;
    this.impairment = new Random(seed);
    this.drop = drop;
    this.duplicate = duplicate;
    this.reorder = reorder;
    this.pool =
        new IpPool(
            range,
            List.of(settings.clientIp(), settings.serverIp(), settings.dnsIp()),
            new SplittableRandom(seed));
    InstantSource wallClock =
        () -> Instant.ofEpochSecond(1_800_000_000L + clock.get() / 1_000_000_000L);
    try {
      this.authenticator =
          new Authenticator(
              Optional.of(UserDatabaseAccess.parse(ALICE)),
              Optional.of(new TokenVerifier((RSAPublicKey) TOKEN_KEY.getPublic(), wallClock)),
              FailureRateLimiter.standard(wallClock));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    this.front = SERVER_TLS.dtlsFront(clock::get);
    this.demux =
        new UdpDemux<>(
            (peer, version, session) -> newServerConnection(version, session),
            (peer, notice) -> {
              rejectsSent.add(copy(notice));
              Peer known = peerNamed(peer);
              if (known != null) {
                known.inbox.add(copy(notice));
              }
            },
            transport == Transport.DATAGRAM
                ? new DtlsAdmission<>(
                    front,
                    address -> address.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    (peer, hello) -> {
                      Peer known = peerNamed(peer);
                      if (known != null) {
                        known.inbox.add(copy(hello));
                      }
                    })
                : null,
            new SplittableRandom(seed + 1));
  }

  Instant wallNow() {
    return Instant.ofEpochSecond(1_800_000_000L + clock.get() / 1_000_000_000L);
  }

  private Connection newServerConnection(ProtocolVersion version, SessionId session) {
    return Connection.server(
        transport == Transport.DATAGRAM
            ? front.accept()
            : SERVER_TLS.newChannel(transport, clock::get),
        settings,
        pool,
        version,
        session,
        timeouts,
        clock::get,
        serverHost);
  }

  /** A client at outside address {@code address} authenticating with {@code credentials}. */
  Peer client(String address, AuthRequest credentials) {
    Peer peer = new Peer(address);
    peer.connection =
        Connection.client(
            CLIENT_TLS.newChannel(transport, clock::get), credentials, timeouts, clock::get, peer);
    if (transport == Transport.STREAM) {
      peer.serverSide =
          newServerConnection(ProtocolVersion.V1_1, SessionId.random(new SplittableRandom()));
      serverHost.streamPeers.put(peer.serverSide, peer);
    }
    clients.add(peer);
    peer.connection.start();
    return peer;
  }

  Peer peerNamed(String address) {
    return clients.stream()
        .filter(p -> p.address.equals(address) || p.sendFrom.equals(address))
        .findFirst()
        .orElse(null);
  }

  /** Moves bytes, runs worker jobs and fires timers until {@code done} or nothing can happen. */
  void runUntil(BooleanSupplier done) {
    for (int step = 0; step < 20_000; step++) {
      if (done.getAsBoolean()) {
        return;
      }
      if (!step()) {
        long next = nextDeadline();
        if (next == Long.MAX_VALUE) {
          throw new AssertionError("stalled: nothing in flight, no job, no timer");
        }
        clock.set(Math.max(clock.get(), next));
        fireTimers();
      }
    }
    throw new AssertionError("did not converge");
  }

  /** Steps until nothing is in flight, without letting time pass. */
  void settle() {
    for (int i = 0; i < 1000 && step(); i++) {}
  }

  /** Delivers everything in flight and runs queued jobs; false when there was nothing. */
  boolean step() {
    boolean any = false;
    while (!workQueue.isEmpty()) {
      workQueue.poll().run();
      any = true;
    }
    for (Peer peer : clients) {
      any |= deliverToServer(peer);
      any |= deliverToClient(peer);
    }
    return any;
  }

  void fireTimers() {
    for (Peer peer : clients) {
      peer.connection.onTimer();
      if (peer.serverSide != null) {
        peer.serverSide.onTimer();
      }
    }
    for (Connection c : serverHost.udpConnections()) {
      c.onTimer();
    }
  }

  long nextDeadline() {
    long next = Long.MAX_VALUE;
    for (Peer peer : clients) {
      next = Math.min(next, peer.connection.nextDeadlineNanos());
      if (peer.serverSide != null) {
        next = Math.min(next, peer.serverSide.nextDeadlineNanos());
      }
    }
    for (Connection c : serverHost.udpConnections()) {
      next = Math.min(next, c.nextDeadlineNanos());
    }
    return next;
  }

  private boolean deliverToServer(Peer peer) {
    if (peer.outbox.isEmpty()) {
      return false;
    }
    for (byte[] bytes : impair(peer.outbox)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      if (transport == Transport.STREAM) {
        peer.serverSide.receiveStream(buffer);
      } else {
        outcomes.merge(demux.receive(peer.sendFrom, buffer), 1, Integer::sum);
      }
    }
    return true;
  }

  private boolean deliverToClient(Peer peer) {
    if (peer.inbox.isEmpty()) {
      return false;
    }
    for (byte[] bytes : impair(peer.inbox)) {
      if (transport == Transport.STREAM) {
        peer.connection.receiveStream(ByteBuffer.wrap(bytes));
      } else {
        peer.connection.receiveDatagram(ByteBuffer.wrap(bytes));
      }
    }
    return true;
  }

  private List<byte[]> impair(ArrayDeque<byte[]> queue) {
    List<byte[]> batch = new ArrayList<>(queue);
    queue.clear();
    if (transport == Transport.STREAM) {
      if (!coalesce) {
        return batch; // TCP is reliable and ordered
      }
      java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
      batch.forEach(joined::writeBytes);
      return List.of(joined.toByteArray());
    }
    List<byte[]> arriving = new ArrayList<>();
    for (byte[] datagram : batch) {
      if (impairment.nextDouble() < drop) {
        continue;
      }
      arriving.add(datagram);
      if (impairment.nextDouble() < duplicate) {
        arriving.add(datagram.clone());
      }
    }
    for (int i = 0; i + 1 < arriving.size(); i++) {
      if (impairment.nextDouble() < reorder) {
        arriving.set(i, arriving.set(i + 1, arriving.get(i)));
      }
    }
    return arriving;
  }

  static byte[] copy(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The server's event loop side: TUN writes recorded, auth and TLS tasks queued as jobs. */
  final class ServerHost implements Connection.Host {
    final List<byte[]> tun = new ArrayList<>();
    final Map<Connection, Peer> streamPeers = new java.util.HashMap<>();
    final List<Connection> online = new ArrayList<>();
    final Map<Connection, DisconnectReason> disconnected = new java.util.HashMap<>();
    final List<Connection> all = new ArrayList<>();

    List<Connection> udpConnections() {
      return all.stream().filter(c -> c.state() != ConnectionState.DISCONNECTED).toList();
    }

    @Override
    public void sendOutside(Connection connection, ByteBuffer bytes) {
      if (!all.contains(connection)) {
        all.add(connection);
      }
      Peer peer =
          transport == Transport.STREAM
              ? streamPeers.get(connection)
              : peerNamed(demux.peerOf(connection));
      peer.inbox.add(copy(bytes));
    }

    @Override
    public void deliverInside(Connection connection, ByteBuffer buffer, int offset, int length) {
      byte[] packet = new byte[length];
      buffer.get(offset, packet);
      tun.add(packet);
    }

    @Override
    public void runDelegated(Connection connection, Runnable task) {
      workQueue.add(() -> {
        task.run();
        connection.resumeTls();
      });
    }

    @Override
    public void authenticate(Connection connection, AuthRequest request) {
      InetAddress peer = InetAddress.ofLiteral("192.0.2.1");
      workQueue.add(() -> connection.completeAuth(authenticator.authenticate(peer, request)));
    }

    @Override
    public void online(Connection connection) {
      online.add(connection);
    }

    @Override
    public void disconnected(Connection connection, DisconnectReason reason) {
      disconnected.put(connection, reason);
      if (transport == Transport.DATAGRAM) {
        demux.remove(connection);
      }
    }
  }

  /** One client and its loop: what it sends, receives, and writes to its TUN. */
  final class Peer implements Connection.Host {
    final String address;
    String sendFrom;
    Connection connection;
    Connection serverSide;
    final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
    final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
    final List<byte[]> tun = new ArrayList<>();
    final List<byte[]> sentDatagrams = new ArrayList<>();
    DisconnectReason disconnected;

    Peer(String address) {
      this.address = address;
      this.sendFrom = address;
    }

    @Override
    public void sendOutside(Connection c, ByteBuffer bytes) {
      byte[] copy = copy(bytes);
      sentDatagrams.add(copy);
      outbox.add(copy);
    }

    @Override
    public void deliverInside(Connection c, ByteBuffer buffer, int offset, int length) {
      byte[] packet = new byte[length];
      buffer.get(offset, packet);
      tun.add(packet);
    }

    @Override
    public void runDelegated(Connection c, Runnable task) {
      workQueue.add(() -> {
        task.run();
        c.resumeTls();
      });
    }

    @Override
    public void disconnected(Connection c, DisconnectReason reason) {
      disconnected = reason;
    }

    Connection server() {
      if (serverSide != null) {
        return serverSide;
      }
      return demux.connectionAt(sendFrom);
    }
  }

  /** Reaches the package-private parser so the fixture needs no file. */
  static final class UserDatabaseAccess {
    static UserDatabase parse(String text) throws Exception {
      java.nio.file.Path file = java.nio.file.Files.createTempFile("users", ".htpasswd");
      try {
        java.nio.file.Files.writeString(file, text);
        return UserDatabase.loadIgnoringPermissions(file);
      } finally {
        java.nio.file.Files.delete(file);
      }
    }
  }
}
