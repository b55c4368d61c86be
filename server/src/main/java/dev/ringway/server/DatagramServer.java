package dev.ringway.server;

import dev.ringway.core.conn.Connection;
import dev.ringway.core.conn.ConnectionTimeouts;
import dev.ringway.core.conn.DisconnectReason;
import dev.ringway.core.conn.DtlsAdmission;
import dev.ringway.core.conn.ServerSettings;
import dev.ringway.core.conn.UdpDemux;
import dev.ringway.core.dtls.DtlsStats;
import dev.ringway.core.ip.IpPool;
import dev.ringway.core.tls.DtlsFront;
import dev.ringway.core.tls.TlsEndpoint;
import dev.ringway.core.wire.AuthRequest;
import dev.ringway.loop.DatagramPeer;
import dev.ringway.loop.DatagramReceiver;
import dev.ringway.loop.DatagramSender;
import dev.ringway.loop.Loop;
import dev.ringway.loop.PathCounters;
import dev.ringway.loop.PathName;
import dev.ringway.loop.TunWriter;
import dev.ringway.loop.TxPool;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's UDP mode on the loop: datagrams from either engine's {@link DatagramReceiver} seam
 * go through the §3.8 demultiplexer to their {@link Connection}, and what a connection sends goes
 * out as datagrams to its peer's latest address. The inside (TUN routing and writes), timers and
 * the slow work on workers are {@link ServerConnections}', shared with the TCP mode. Both engines
 * reach it through the same seams ({@link Loop}, {@link DatagramSender}, {@link TunWriter}), so the
 * protocol code is one. Loop thread only.
 */
final class DatagramServer implements Connection.Host {
  private static final Logger log = LoggerFactory.getLogger(DatagramServer.class);

  private final Loop loop;
  private final TxPool txPool;
  private final ServerSettings settings;
  private final IpPool pool;
  private final ConnectionTimeouts timeouts;
  private final ServerConnections connections;
  private final boolean wildcardBind;
  private final DtlsFront front;
  private final UdpDemux<InetSocketAddress> demux;
  private final Map<Connection, DatagramPeer> peers = new IdentityHashMap<>();
  private DatagramSender udp;
  private PathCounters udpRx;
  private PathCounters udpTx;

  // The datagram being handled: the factory and the reject sender need its origin.
  private int currentLocalIpv4;

  DatagramServer(
      Loop loop,
      TxPool txPool,
      TlsEndpoint tls,
      ServerSettings settings,
      IpPool pool,
      ConnectionTimeouts timeouts,
      ServerConnections connections,
      boolean wildcardBind) {
    this.loop = loop;
    this.txPool = txPool;
    this.settings = settings;
    this.pool = pool;
    this.timeouts = timeouts;
    this.connections = connections;
    this.wildcardBind = wildcardBind;
    // One front door per loop: cookies are checked before anything is made for an address.
    this.front = tls.dtlsFront(System::nanoTime);
    this.demux =
        new UdpDemux<>(
            this::newConnection,
            this::sendReject,
            new DtlsAdmission<>(front, DatagramServer::cookieAddress, this::sendReject),
            new SecureRandom());
  }

  /** Connects the sources; called once before the loop runs. */
  void attach(TunWriter tun, DatagramSender udp) {
    this.udp = udp;
    this.udpRx = loop.counters(PathName.UDP_RX);
    this.udpTx = loop.counters(PathName.UDP_TX);
    connections.attach(tun, ServerConnections.OutsideRoom.ALWAYS);
  }

  /** Live connections; loop thread only. */
  List<Connection> connections() {
    return connections.all();
  }

  /** The outside address of {@code connection}; loop thread only. */
  InetSocketAddress peerOf(Connection connection) {
    DatagramPeer peer = peers.get(connection);
    return peer == null ? null : peer.address();
  }

  // ------------------------------------------------------------------ from the sources

  /**
   * {@link DatagramReceiver}: one datagram from the outside. The local address it was sent to
   * matters only on a wildcard bind (and is 0 on nio: replies leave from the kernel's choice).
   */
  void datagram(ByteBuffer view, int length, InetSocketAddress sender, int localIpv4) {
    received(view, sender, wildcardBind ? localIpv4 : 0);
  }

  private void received(ByteBuffer view, InetSocketAddress sender, int localIpv4) {
    currentLocalIpv4 = localIpv4;
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
        DatagramPeer peer = moved == null ? null : peers.get(moved);
        if (peer != null) {
          log.info("session {} moved from {} to {}", moved.session(), peer.address(), sender);
          peer.moveTo(sender, currentLocalIpv4);
        }
      }
      default -> {}
    }
  }

  // ------------------------------------------------------------------ Connection.Host

  @Override
  public void sendOutside(Connection connection, ByteBuffer bytes) {
    DatagramPeer peer = peers.get(connection);
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
    udp.send(slot, length, peer);
  }

  @Override
  public void deliverInside(Connection connection, ByteBuffer buffer, int offset, int length) {
    connections.deliverInside(buffer, offset, length);
  }

  @Override
  public void runDelegated(Connection connection, Runnable task) {
    connections.runDelegated(connection, task);
  }

  @Override
  public void authenticate(Connection connection, AuthRequest request) {
    connections.authenticate(connection, request, peerOf(connection));
  }

  @Override
  public void online(Connection connection) {
    connections.online(connection, peerOf(connection));
  }

  @Override
  public void disconnected(Connection connection, DisconnectReason reason) {
    InetSocketAddress peer = peerOf(connection);
    connections.remove(connection);
    demux.remove(connection);
    peers.remove(connection);
    log.info("{} disconnected: {}", peer, reason);
  }

  // ------------------------------------------------------------------ the rest

  private Connection newConnection(
      InetSocketAddress peer,
      dev.ringway.core.wire.ProtocolVersion version,
      dev.ringway.core.wire.SessionId session) {
    Connection connection =
        Connection.server(
            front.accept(), settings, pool, version, session, timeouts, System::nanoTime, this);
    peers.put(connection, new DatagramPeer(peer, currentLocalIpv4));
    connections.add(connection);
    log.debug("new connection from {} (session {})", peer, session);
    return connection;
  }

  /** The DTLS handshake counters of this server's UDP mode (gate and sessions). */
  DtlsStats dtlsStats() {
    return front.stats();
  }

  /** What a cookie is bound to: the source's IP address and port. */
  private static byte[] cookieAddress(InetSocketAddress peer) {
    byte[] ip = peer.getAddress().getAddress();
    byte[] bound = Arrays.copyOf(ip, ip.length + 2);
    bound[ip.length] = (byte) (peer.getPort() >>> 8);
    bound[ip.length + 1] = (byte) peer.getPort();
    return bound;
  }

  /** Sends a whole datagram (the reject notice, a HelloRetryRequest) to a source. */
  private void sendReject(InetSocketAddress peer, ByteBuffer notice) {
    TxPool.Slot slot = txPool.acquire();
    if (slot == null) {
      udpTx.slotExhausted();
      return;
    }
    int length = notice.remaining();
    slot.view().put(notice);
    udp.sendTo(slot, length, peer, currentLocalIpv4);
  }
}
