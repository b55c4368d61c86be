package dev.ringway.server;

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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's UDP mode on the loop: datagrams from the {@link UdpSource} go through the §3.8
 * demultiplexer to their {@link Connection}, and what a connection sends goes out as datagrams to
 * its peer's latest address. The inside (TUN routing and writes), timers and the slow work on
 * workers are {@link ServerConnections}', shared with the TCP mode. Loop thread only.
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
  private final ServerConnections connections;
  private final boolean wildcardBind;
  private final UdpDemux<InetSocketAddress> demux;
  private final Map<Connection, Peer> peers = new IdentityHashMap<>();
  private final PeerAddresses addresses = new PeerAddresses();
  private UdpSource udp;
  private PathCounters udpRx;
  private PathCounters udpTx;

  // The datagram being handled: the factory and the reject sender need its origin.
  private int currentLocalIpv4;

  DatagramServer(
      EventLoop loop,
      TxPool txPool,
      TlsEndpoint tls,
      ServerSettings settings,
      IpPool pool,
      ConnectionTimeouts timeouts,
      ServerConnections connections,
      boolean wildcardBind) {
    this.loop = loop;
    this.txPool = txPool;
    this.tls = tls;
    this.settings = settings;
    this.pool = pool;
    this.timeouts = timeouts;
    this.connections = connections;
    this.wildcardBind = wildcardBind;
    this.demux = new UdpDemux<>(this::newConnection, this::sendReject, new SecureRandom());
  }

  /** Connects the sources; called once before the loop runs. */
  void attach(TunSource tun, UdpSource udp) {
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
    Peer peer = peers.get(connection);
    return peer == null ? null : peer.address;
  }

  // ------------------------------------------------------------------ from the sources

  /** {@link UdpSource.Receiver}: one datagram from the outside. */
  void datagram(MemorySegment data, ByteBuffer view, int length, Msghdr from) {
    currentLocalIpv4 = wildcardBind ? from.pktinfoDestination() : 0;
    InetSocketAddress sender = addresses.senderOf(from);
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
}
