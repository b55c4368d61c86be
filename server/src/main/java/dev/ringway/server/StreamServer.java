package dev.ringway.server;

import dev.ringway.core.conn.Connection;
import dev.ringway.core.conn.ConnectionTimeouts;
import dev.ringway.core.conn.DisconnectReason;
import dev.ringway.core.conn.ServerSettings;
import dev.ringway.core.ip.IpPool;
import dev.ringway.core.tls.TlsEndpoint;
import dev.ringway.core.tls.Transport;
import dev.ringway.core.wire.AuthRequest;
import dev.ringway.core.wire.ProtocolVersion;
import dev.ringway.core.wire.SessionId;
import dev.ringway.loop.Loop;
import dev.ringway.loop.PathCounters;
import dev.ringway.loop.PathName;
import dev.ringway.loop.StreamAcceptor;
import dev.ringway.loop.StreamHandler;
import dev.ringway.loop.StreamSender;
import dev.ringway.loop.TunWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TCP mode on the loop: each accepted connection is a TLS 1.3 byte stream (no outer
 * header, digest §1.4) on its own stream and one server {@link Connection} at protocol 1.1. Every
 * error is fatal over TCP (§3.4): the connection ends and its socket is closed after what was
 * queued — Goodbye and close_notify — has gone out. Either engine's streams reach it through the
 * {@link StreamAcceptor}, {@link StreamHandler} and {@link StreamSender} seams; the inside, timers
 * and the slow work are {@link ServerConnections}', shared with the UDP mode. Loop thread only.
 */
final class StreamServer
    implements Connection.Host,
        StreamHandler<StreamServer.Peer>,
        StreamAcceptor<StreamServer.Peer> {
  private static final Logger log = LoggerFactory.getLogger(StreamServer.class);

  /**
   * TLS overhead of one inside packet on the stream: record header, content type and AEAD tag, plus
   * the Data frame header, with room to spare.
   */
  private static final int RECORD_OVERHEAD = 64;

  /** One accepted TCP connection. */
  static final class Peer {
    final InetSocketAddress address;
    Connection connection;
    long stream = -1;
    boolean writable = true;

    Peer(InetSocketAddress address) {
      this.address = address;
    }
  }

  private final Loop loop;
  private final TlsEndpoint tls;
  private final ServerSettings settings;
  private final IpPool pool;
  private final ConnectionTimeouts timeouts;
  private final ServerConnections connections;
  private final Map<Connection, Peer> peers = new IdentityHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private StreamSender streams;
  private PathCounters tcpRx;
  private PathCounters tcpTx;

  StreamServer(
      Loop loop,
      TlsEndpoint tls,
      ServerSettings settings,
      IpPool pool,
      ConnectionTimeouts timeouts,
      ServerConnections connections) {
    this.loop = loop;
    this.tls = tls;
    this.settings = settings;
    this.pool = pool;
    this.timeouts = timeouts;
    this.connections = connections;
  }

  /**
   * Connects the inside and the streams, which the data plane opened with this server as their
   * handler and acceptor; called once before the loop runs.
   */
  void attach(TunWriter tun, StreamSender streams) {
    this.streams = streams;
    this.tcpRx = loop.counters(PathName.TCP_RX);
    this.tcpTx = loop.counters(PathName.TCP_TX);
    connections.attach(tun, this::hasRoom);
  }

  /** Open streams, including closed ones still sending Goodbye; loop thread only. */
  int streamCount() {
    return streams.count();
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

  @Override
  public Peer accepted(InetSocketAddress address) {
    Peer peer = new Peer(address);
    peer.connection =
        Connection.server(
            tls.newSession(Transport.STREAM),
            settings,
            pool,
            ProtocolVersion.V1_1,
            SessionId.random(random),
            timeouts,
            System::nanoTime,
            this);
    return peer;
  }

  @Override
  public void opened(Peer peer, long stream) {
    peer.stream = stream;
    if (stream < 0) {
      return;
    }
    peers.put(peer.connection, peer);
    connections.add(peer.connection);
    log.debug("new TCP connection from {}", peer.address);
  }

  @Override
  public void received(Peer peer, ByteBuffer view, int length) {
    peer.connection.receiveStream(view);
  }

  @Override
  public void ended(Peer peer, int cause) {
    if (cause < 0) {
      log.debug("{}: the stream failed (errno {})", peer.address, -cause);
    }
    peer.writable = false;
    peer.connection.streamClosed();
  }

  /**
   * Inside packets are dropped before they are encrypted while the stream's queue is full: once
   * encrypted, a record that cannot be queued would break the TLS stream.
   */
  private boolean hasRoom(Connection connection, int length) {
    Peer peer = peers.get(connection);
    if (peer == null || !streams.hasRoom(peer.stream, length + RECORD_OVERHEAD)) {
      tcpTx.slotExhausted();
      return false;
    }
    return true;
  }

  // ------------------------------------------------------------------ Connection.Host

  @Override
  public void sendOutside(Connection connection, ByteBuffer bytes) {
    Peer peer = peers.get(connection);
    if (peer == null || !peer.writable) {
      bytes.position(bytes.limit());
      return;
    }
    if (!streams.send(peer.stream, bytes)) {
      // A record that cannot be queued leaves a gap in the TLS stream: nothing after it could be
      // decrypted, so the stream ends here. The connection hears of it once this call returns.
      bytes.position(bytes.limit());
      peer.writable = false;
      streams.abort(peer.stream);
      loop.call(() -> {
        connection.disconnect(DisconnectReason.LOCAL);
        return null;
      });
    }
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
    Peer peer = peers.remove(connection);
    connections.remove(connection);
    if (peer == null) {
      return;
    }
    if (reason == DisconnectReason.TLS_FAILURE) {
      tcpRx.error(); // bytes that are not TLS, or a handshake that failed
    }
    streams.close(peer.stream);
    log.info("{} disconnected: {}", peer.address, reason);
  }
}
