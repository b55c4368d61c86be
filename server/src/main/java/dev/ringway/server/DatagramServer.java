package dev.ringway.server;

import dev.ringway.core.auth.AuthResult;
import dev.ringway.core.auth.Authenticator;
import dev.ringway.core.conn.Connection;
import dev.ringway.core.conn.ConnectionTimeouts;
import dev.ringway.core.conn.DisconnectReason;
import dev.ringway.core.conn.ServerSettings;
import dev.ringway.core.conn.UdpDemux;
import dev.ringway.core.ip.IpPool;
import dev.ringway.core.tls.TlsEndpoint;
import dev.ringway.core.tls.Transport;
import dev.ringway.core.wire.AuthRequest;
import dev.ringway.loop.EventLoop;
import dev.ringway.loop.PathCounters;
import dev.ringway.loop.PathName;
import dev.ringway.loop.TunSource;
import dev.ringway.loop.TxPool;
import dev.ringway.loop.UdpSource;
import dev.ringway.uring.Msghdr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's UDP mode on the loop: datagrams from the {@link UdpSource} go through the §3.8
 * demultiplexer to their {@link Connection}; decrypted inside packets go to the {@link TunSource};
 * packets read from the TUN device are routed by destination (the client's pool address) to their
 * connection and sent out as datagrams. Everything here runs on the loop thread, except the two
 * slow things handed to {@code workers}: TLS delegated tasks and credential checks, whose results
 * come back through {@link EventLoop#call}.
 */
final class DatagramServer implements Connection.Host {
  private static final Logger log = LoggerFactory.getLogger(DatagramServer.class);

  /** Where replies to one peer go: its address in a reusable sockaddr, and our local address. */
  private static final class Peer {
    final Msghdr template;
    InetSocketAddress address;
    int localIpv4;

    Peer(InetSocketAddress address, int localIpv4) {
      this.template = Msghdr.allocate(Arena.ofAuto(), 0);
      this.localIpv4 = localIpv4;
      moveTo(address);
    }

    void moveTo(InetSocketAddress address) {
      this.address = address;
      template.setPeer(address);
    }
  }

  private final EventLoop loop;
  private final TxPool txPool;
  private final TlsEndpoint tls;
  private final ServerSettings settings;
  private final IpPool pool;
  private final ConnectionTimeouts timeouts;
  private final Authenticator authenticator;
  private final Executor workers;
  private final boolean wildcardBind;
  private final UdpDemux<InetSocketAddress> demux;
  private final Map<Connection, Peer> peers = new IdentityHashMap<>();
  private final List<Connection> connections = new ArrayList<>();
  private final InsideRoutes routes = new InsideRoutes();
  private TunSource tun;
  private UdpSource udp;
  private PathCounters udpRx;
  private PathCounters tunRx;
  private PathCounters udpTx;
  private PathCounters tunTx;

  // The datagram being handled: the factory and the reject sender need its origin.
  private int currentLocalIpv4;

  DatagramServer(
      EventLoop loop,
      TxPool txPool,
      TlsEndpoint tls,
      ServerSettings settings,
      IpPool pool,
      ConnectionTimeouts timeouts,
      Authenticator authenticator,
      Executor workers,
      boolean wildcardBind) {
    this.loop = loop;
    this.txPool = txPool;
    this.tls = tls;
    this.settings = settings;
    this.pool = pool;
    this.timeouts = timeouts;
    this.authenticator = authenticator;
    this.workers = workers;
    this.wildcardBind = wildcardBind;
    this.demux = new UdpDemux<>(this::newConnection, this::sendReject, new SecureRandom());
  }

  /** Connects the sources; called once before the loop runs. */
  void attach(TunSource tun, UdpSource udp) {
    this.tun = tun;
    this.udp = udp;
    this.udpRx = loop.counters(PathName.UDP_RX);
    this.tunRx = loop.counters(PathName.TUN_RX);
    this.udpTx = loop.counters(PathName.UDP_TX);
    this.tunTx = loop.counters(PathName.TUN_TX);
    loop.onTick(this::tick);
  }

  /** Live connections; loop thread only. */
  List<Connection> connections() {
    return connections;
  }

  /** The outside address of {@code connection}; loop thread only. */
  InetSocketAddress peerOf(Connection connection) {
    Peer peer = peers.get(connection);
    return peer == null ? null : peer.address;
  }

  // ------------------------------------------------------------------ from the sources

  /** {@link UdpSource.Receiver}: one datagram from the outside. */
  void datagram(MemorySegment data, ByteBuffer view, int length, Msghdr from) {
    currentLocalIpv4 = wildcardBind ? from.pktinfoDestination() : 0;
    InetSocketAddress sender = from.peer();
    UdpDemux.Outcome outcome = demux.receive(sender, view);
    switch (outcome) {
      case BAD_HEADER,
          BAD_VERSION,
          REJECTED_SESSION_DROPPED,
          REJECT_SENT,
          SESSION_MISMATCH_REJECTED ->
          udpRx.error();
      case RECOVERED_VIA_SESSION -> {
        Connection moved = demux.connectionAt(sender);
        Peer peer = moved == null ? null : peers.get(moved);
        if (peer != null) {
          log.info("session {} moved from {} to {}", moved.session(), peer.address, sender);
          peer.moveTo(sender);
          peer.localIpv4 = currentLocalIpv4;
        }
      }
      default -> {}
    }
  }

  /** {@link TunSource.Receiver}: one packet from the inside, routed by its destination. */
  void insidePacket(MemorySegment packet, ByteBuffer view, int length) {
    if (length < 20 || (view.get(0) >> 4) != 4) {
      tunRx.error(); // not IPv4 (the kernel's own IPv6 chatter on a fresh TUN, for one)
      return;
    }
    Connection connection = routes.get(view.getInt(16));
    if (connection == null || !connection.sendInside(view)) {
      tunRx.error();
    }
  }

  // ------------------------------------------------------------------ Connection.Host

  @Override
  public void sendOutside(Connection connection, ByteBuffer bytes) {
    Peer peer = peers.get(connection);
    if (peer == null) {
      return;
    }
    TxPool.Slot slot = txPool.acquire();
    if (slot == null) {
      udpTx.slotExhausted();
      return;
    }
    int length = bytes.remaining();
    slot.view().put(bytes);
    slot.msghdr().copyPeerFrom(peer.template);
    udp.send(slot, length, peer.localIpv4);
  }

  @Override
  public void deliverInside(Connection connection, ByteBuffer buffer, int offset, int length) {
    TxPool.Slot slot = txPool.acquire();
    if (slot == null) {
      tunTx.slotExhausted();
      return;
    }
    if (length > TxPool.SLOT_BYTES) {
      txPool.release(slot);
      tunTx.error();
      return;
    }
    slot.view().put(0, buffer, offset, length);
    tun.write(slot, length);
  }

  @Override
  public void runDelegated(Connection connection, Runnable task) {
    workers.execute(() -> {
      task.run();
      loop.call(() -> {
        connection.resumeTls();
        return null;
      });
    });
  }

  @Override
  public void authenticate(Connection connection, AuthRequest request) {
    InetSocketAddress peer = peerOf(connection);
    workers.execute(() -> {
      AuthResult result =
          switch (request) {
            case AuthRequest.UserPass up ->
                authenticator.password(peer.getAddress(), up.user(), up.password());
            case AuthRequest.Token token -> authenticator.token(peer.getAddress(), token.token());
            case AuthRequest.VersionedToken token ->
                authenticator.token(peer.getAddress(), token.token());
            case AuthRequest.CustomCallback callback ->
                AuthResult.denied(AuthResult.Reason.METHOD_UNAVAILABLE);
          };
      loop.call(() -> {
        connection.completeAuth(result);
        if (result instanceof AuthResult.Denied denied) {
          log.info("auth denied for {}: {}", peer, denied.reason());
        }
        return null;
      });
    });
  }

  @Override
  public void online(Connection connection) {
    connection
        .insideAddress()
        .ifPresent(address -> {
          routes.put(address.value(), connection);
          log.info(
              "{} online as {} (session {}, {})",
              peerOf(connection),
              address,
              connection.session(),
              connection.tls().cipherSuite());
        });
  }

  @Override
  public void disconnected(Connection connection, DisconnectReason reason) {
    connection.insideAddress().ifPresent(address -> routes.remove(address.value(), connection));
    InetSocketAddress peer = peerOf(connection);
    demux.remove(connection);
    peers.remove(connection);
    int at = connections.indexOf(connection);
    if (at >= 0) {
      int last = connections.size() - 1;
      connections.set(at, connections.get(last));
      connections.remove(last);
    }
    log.info("{} disconnected: {}", peer, reason);
  }

  // ------------------------------------------------------------------ the rest

  /** Says Goodbye to every client; used at shutdown. */
  void disconnectAll() {
    for (int i = connections.size() - 1; i >= 0; i--) {
      connections.get(i).disconnect(DisconnectReason.LOCAL);
    }
  }

  private Connection newConnection(
      InetSocketAddress peer,
      dev.ringway.core.wire.ProtocolVersion version,
      dev.ringway.core.wire.SessionId session) {
    Connection connection =
        Connection.server(
            tls.newSession(Transport.DATAGRAM),
            settings,
            pool,
            version,
            session,
            timeouts,
            System::nanoTime,
            this);
    peers.put(connection, new Peer(peer, currentLocalIpv4));
    connections.add(connection);
    log.debug("new connection from {} (session {})", peer, session);
    return connection;
  }

  private void sendReject(InetSocketAddress peer, ByteBuffer notice) {
    TxPool.Slot slot = txPool.acquire();
    if (slot == null) {
      udpTx.slotExhausted();
      return;
    }
    int length = notice.remaining();
    slot.view().put(notice);
    slot.msghdr().setPeer(peer);
    udp.send(slot, length, currentLocalIpv4);
  }

  private void tick(long now) {
    for (int i = connections.size() - 1; i >= 0 && i < connections.size(); i--) {
      Connection connection = connections.get(i);
      if (now - connection.nextDeadlineNanos() >= 0) {
        connection.onTimer();
      }
    }
  }
}
