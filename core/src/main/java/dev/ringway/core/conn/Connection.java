package dev.ringway.core.conn;

import dev.ringway.core.auth.AuthResult;
import dev.ringway.core.frag.FragmentReassembler;
import dev.ringway.core.ip.AddressTranslation;
import dev.ringway.core.ip.InsidePacket;
import dev.ringway.core.ip.IpPool;
import dev.ringway.core.ip.Ipv4Address;
import dev.ringway.core.tls.SecureChannel;
import dev.ringway.core.tls.TlsEndpoint;
import dev.ringway.core.tls.Transport;
import dev.ringway.core.wire.AuthFailure;
import dev.ringway.core.wire.AuthRequest;
import dev.ringway.core.wire.AuthSuccessWithConfigV4;
import dev.ringway.core.wire.Data;
import dev.ringway.core.wire.DataFrag;
import dev.ringway.core.wire.EncodingRequest;
import dev.ringway.core.wire.EncodingResponse;
import dev.ringway.core.wire.ExpresslaneConfig;
import dev.ringway.core.wire.ExpresslaneVersion;
import dev.ringway.core.wire.Frame;
import dev.ringway.core.wire.FrameCodec;
import dev.ringway.core.wire.FrameCursor;
import dev.ringway.core.wire.FrameKind;
import dev.ringway.core.wire.Goodbye;
import dev.ringway.core.wire.NoOp;
import dev.ringway.core.wire.OuterHeader;
import dev.ringway.core.wire.Ping;
import dev.ringway.core.wire.Pong;
import dev.ringway.core.wire.ProtocolVersion;
import dev.ringway.core.wire.ServerConfig;
import dev.ringway.core.wire.SessionId;
import dev.ringway.core.wire.WireError;
import dev.ringway.core.wire.WireException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;

/**
 * One Lightway connection, server or client, over TCP (TLS 1.3) or UDP (DTLS 1.3), with no I/O: the
 * event loop feeds it outside bytes ({@link #receiveDatagram}, {@link #receiveStream}) and inside
 * packets ({@link #sendInside}) and calls {@link #onTimer} at {@link #nextDeadlineNanos()};
 * everything it produces goes to its {@link Host}.
 *
 * <p>Slow work leaves the loop: (D)TLS delegated tasks go to {@link Host#runDelegated} and come
 * back through {@link #resumeTls()}; a server's credential check goes to {@link Host#authenticate}
 * and comes back through {@link #completeAuth}. All methods must be called on the loop thread.
 *
 * <p>The data path allocates nothing of its own: a UDP datagram is decrypted into the session's
 * buffer, Data frames are located by a {@link FrameCursor}, the inside packet is address-translated
 * in place and handed to the host as a slice of that buffer; the way out reuses two buffers.
 */
public final class Connection {

  /** The event loop's side of a connection. Buffers passed in are valid only during the call. */
  public interface Host {
    /**
     * Bytes to send to the peer: one whole UDP datagram (Lightway header included) or the next
     * chunk of the TCP stream.
     */
    void sendOutside(Connection connection, ByteBuffer bytes);

    /**
     * An inside packet for the TUN: {@code [offset, offset + length)} of {@code buffer}. A server
     * has already rewritten its source to the connection's pool address.
     */
    void deliverInside(Connection connection, ByteBuffer buffer, int offset, int length);

    /** Run {@code task} on a worker thread, then call {@link #resumeTls()} on the loop thread. */
    void runDelegated(Connection connection, Runnable task);

    /**
     * Server: check {@code request} on a worker thread, then call {@link #completeAuth} on the loop
     * thread. Not called for methods that are always denied (custom callback).
     */
    default void authenticate(Connection connection, AuthRequest request) {
      throw new UnsupportedOperationException("this host does not authenticate");
    }

    /** The (D)TLS handshake finished. */
    default void linkUp(Connection connection) {}

    /** Authentication succeeded: inside packets may flow. */
    default void online(Connection connection) {}

    /** The connection ended; it will not call the host again. */
    default void disconnected(Connection connection, DisconnectReason reason) {}
  }

  /** Largest inside packet one UDP datagram carries: the DTLS plaintext minus the Data header. */
  public static final int MAX_DATAGRAM_INSIDE_PACKET =
      TlsEndpoint.MAX_DTLS_PLAINTEXT - FrameCodec.DATA_OVERHEAD;

  private static final int MAX_STREAM_FRAME = FrameCodec.DATA_FRAG_OVERHEAD + 0xffff;
  private static final int COPIES_UNTIL_ONLINE = 3;

  /** How often a UDP client repeats an unanswered AuthRequest (a lost datagram is not resent). */
  static final long AUTH_RESEND_NANOS = 1_000_000_000L;

  private final boolean server;
  private final SecureChannel tls;
  private final Transport transport;
  private final Host host;
  private final LongSupplier nanoClock;
  private final ConnectionTimeouts timeouts;
  private final Bridge bridge = new Bridge();
  private final FrameCursor cursor = new FrameCursor();

  // Server only.
  private final ServerSettings settings;
  private final IpPool pool;
  private Ipv4Address insideAddress;
  private boolean authPending;
  private ProtocolVersion pendingAuthVersion;

  // Client only.
  private final AuthRequest credentials;
  private InsideConfig insideConfig;
  private long nextKeepaliveAt = Long.MAX_VALUE;
  private long nextAuthResendAt = Long.MAX_VALUE;
  private long lastPongAt;

  private ConnectionState state = ConnectionState.CONNECTING;
  private DisconnectReason disconnectReason;
  private ProtocolVersion version;
  private SessionId session;
  private SessionId pendingSession;
  private FragmentReassembler reassembler;

  /** A fatal problem found inside a TLS callback, acted on once the callback has returned. */
  private DisconnectReason fatal;

  private int framesThisDatagram;
  private long headerSessionThisDatagram;
  private final long createdAt;
  private String identity; // server: who authenticated, once granted
  private long lastOutsideAt;

  private final ByteBuffer frameOut;
  private final ByteBuffer datagramOut;
  private ByteBuffer streamPlaintext;

  private long insidePacketsIn;
  private long insidePacketsOut;
  private long insideBytesIn;
  private long insideBytesOut;
  private long droppedPackets;
  private long nonFatalErrors;
  private long rejectNotices;

  private Connection(
      boolean server,
      SecureChannel tls,
      ServerSettings settings,
      IpPool pool,
      AuthRequest credentials,
      ProtocolVersion version,
      SessionId session,
      ConnectionTimeouts timeouts,
      LongSupplier nanoClock,
      Host host) {
    this.server = server;
    this.tls = tls;
    this.transport = tls.transport();
    this.settings = settings;
    this.pool = pool;
    this.credentials = credentials;
    this.version = version;
    this.session = session;
    this.timeouts = timeouts;
    this.nanoClock = nanoClock;
    this.host = host;
    this.createdAt = nanoClock.getAsLong();
    this.lastOutsideAt = createdAt;
    this.frameOut = ByteBuffer.allocate(FrameCodec.DATA_FRAG_OVERHEAD + 0xffff);
    this.datagramOut = ByteBuffer.allocate(OuterHeader.SIZE + TlsEndpoint.MAX_DTLS_PACKET + 512);
    if (transport == Transport.STREAM) {
      streamPlaintext = ByteBuffer.allocate(4096);
    }
  }

  /**
   * A server connection. {@code version}: over UDP the version in the client's first header, over
   * TCP 1.1 (a VersionedToken may change it). {@code session}: a fresh, unused, non-reserved id.
   * {@code pool}: where the connection's inside address comes from at its first AuthRequest.
   */
  public static Connection server(
      SecureChannel tls,
      ServerSettings settings,
      IpPool pool,
      ProtocolVersion version,
      SessionId session,
      ConnectionTimeouts timeouts,
      LongSupplier nanoClock,
      Host host) {
    if (tls.isClient()) {
      throw new IllegalArgumentException("a server connection needs a server TLS session");
    }
    return new Connection(
        true, tls, settings, pool, null, version, session, timeouts, nanoClock, host);
  }

  /**
   * A client connection that authenticates with {@code credentials} once the link is up. Over UDP
   * it speaks protocol 1.3 and starts with the EMPTY session id. Call {@link #start()}.
   */
  public static Connection client(
      SecureChannel tls,
      AuthRequest credentials,
      ConnectionTimeouts timeouts,
      LongSupplier nanoClock,
      Host host) {
    if (!tls.isClient()) {
      throw new IllegalArgumentException("a client connection needs a client TLS session");
    }
    return new Connection(
        false,
        tls,
        null,
        null,
        credentials,
        ProtocolVersion.MAXIMUM,
        SessionId.EMPTY,
        timeouts,
        nanoClock,
        host);
  }

  /**
   * Starts the handshake: a client sends its first flight; a UDP server answers the ClientHello its
   * front door accepted.
   */
  public void start() {
    try {
      tls.start(bridge);
    } catch (SSLException e) {
      disconnect(DisconnectReason.TLS_FAILURE);
      return;
    }
    afterTls();
  }

  // ---------------------------------------------------------------------------------------------
  // Outside → connection

  /**
   * Processes one UDP datagram, Lightway header included (position at the header, limit at its
   * end); the buffer is consumed. Returns how many frames it yielded: 0 for handshake-only,
   * duplicate, dropped or undecryptable datagrams — the demultiplexer trusts a new peer address
   * only after a positive count.
   */
  public int receiveDatagram(ByteBuffer datagram) {
    requireTransport(Transport.DATAGRAM);
    if (state == ConnectionState.DISCONNECTED) {
      datagram.position(datagram.limit());
      return 0;
    }
    int start = datagram.position();
    ProtocolVersion headerVersion;
    try {
      headerVersion = OuterHeader.check(datagram);
    } catch (WireException e) {
      dropDatagram(datagram);
      return 0;
    }
    long headerSession = OuterHeader.sessionAt(datagram, start);
    if (!server && OuterHeader.isRejectNotice(datagram, start)) {
      rejectNotices++; // the server no longer knows our session: the client loop may reconnect
    }
    if (!headerVersion.equals(version)
        || headerSession == SessionId.REJECTED.value()
        || OuterHeader.expresslaneAt(datagram, start)) {
      // Wrong version, a reject notice, or Expresslane data (not offered): non-fatal drops.
      dropDatagram(datagram);
      return 0;
    }
    lastOutsideAt = nanoClock.getAsLong();
    datagram.position(start + OuterHeader.SIZE);
    framesThisDatagram = 0;
    headerSessionThisDatagram = headerSession;
    try {
      tls.receive(datagram, bridge);
    } catch (SSLException e) {
      disconnect(DisconnectReason.TLS_FAILURE);
      return 0;
    }
    afterTls();
    return framesThisDatagram;
  }

  /** Processes bytes read from the TCP stream (all of them are consumed). */
  public void receiveStream(ByteBuffer bytes) {
    requireTransport(Transport.STREAM);
    if (state == ConnectionState.DISCONNECTED) {
      bytes.position(bytes.limit());
      return;
    }
    lastOutsideAt = nanoClock.getAsLong();
    try {
      tls.receive(bytes, bridge);
    } catch (SSLException e) {
      disconnect(DisconnectReason.TLS_FAILURE);
      return;
    }
    afterTls();
  }

  /** The TCP stream ended (EOF or read error). */
  public void streamClosed() {
    disconnect(DisconnectReason.PEER_CLOSED);
  }

  /** Continues after a delegated task handed to {@link Host#runDelegated} has run. */
  public void resumeTls() {
    if (state == ConnectionState.DISCONNECTED) {
      return;
    }
    try {
      tls.resume(bridge);
    } catch (SSLException e) {
      disconnect(DisconnectReason.TLS_FAILURE);
      return;
    }
    afterTls();
  }

  // ---------------------------------------------------------------------------------------------
  // Inside → connection

  /**
   * Sends one inside IPv4 packet ({@code [position, limit)} of {@code packet}) to the peer. A
   * server rewrites its destination to the static client address in place. Returns false (and
   * counts a drop) when not online, when the packet is not acceptable IPv4, or too large for one
   * datagram.
   */
  public boolean sendInside(ByteBuffer packet) {
    int offset = packet.position();
    int length = packet.remaining();
    if (state != ConnectionState.ONLINE
        || InsidePacket.check(packet, offset, length) != InsidePacket.Verdict.VALID
        || (server && length > settings.insideMtu())
        || (transport == Transport.DATAGRAM && length > MAX_DATAGRAM_INSIDE_PACKET)
        || length > 0xffff) {
      droppedPackets++;
      return false;
    }
    if (server) {
      AddressTranslation.rewriteDestination(packet, offset, length, settings.clientIp().value());
    }
    frameOut.clear();
    FrameCodec.encodeDataHeader(frameOut, length);
    frameOut.put(frameOut.position(), packet, offset, length);
    frameOut.position(frameOut.position() + length).flip();
    if (!sendFrameBytes()) {
      droppedPackets++;
      afterTls();
      return false;
    }
    insidePacketsOut++;
    insideBytesOut += length;
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Auth (server)

  /** Server: the answer to the {@link Host#authenticate} request, on the loop thread. */
  public void completeAuth(AuthResult result) {
    if (!server || !authPending || state == ConnectionState.DISCONNECTED) {
      return;
    }
    authPending = false;
    switch (result) {
      case AuthResult.Granted granted -> {
        // Taken only now: an outsider without credentials must not be able to drain the pool.
        if (insideAddress == null) {
          Optional<Ipv4Address> allocated = pool.allocate();
          if (allocated.isEmpty()) {
            sendFrame(AuthFailure.INSTANCE);
            disconnect(DisconnectReason.NO_AVAILABLE_CLIENT_IP);
            return;
          }
          insideAddress = allocated.get();
        }
        identity = granted.identity();
        if (pendingAuthVersion != null) {
          version = pendingAuthVersion;
        }
        sendFrame(
            new AuthSuccessWithConfigV4(
                settings.clientIp().toString(),
                settings.serverIp().toString(),
                settings.dnsIp().toString(),
                Integer.toString(settings.insideMtu()),
                session));
        if (state != ConnectionState.ONLINE) {
          state = ConnectionState.ONLINE;
          host.online(this);
        }
      }
      case AuthResult.Denied _ -> {
        sendFrame(AuthFailure.INSTANCE);
        disconnect(DisconnectReason.ACCESS_DENIED);
      }
    }
    afterTls();
  }

  // ---------------------------------------------------------------------------------------------
  // Time

  /**
   * When {@link #onTimer()} must next run, on the connection's clock; {@link Long#MAX_VALUE} if
   * never. Read it again after every call into the connection.
   */
  public long nextDeadlineNanos() {
    if (state == ConnectionState.DISCONNECTED) {
      return Long.MAX_VALUE;
    }
    long deadline = tls.nextDeadlineNanos();
    if (reassembler != null) {
      deadline = Math.min(deadline, reassembler.nextExpiryNanos());
    }
    if (server) {
      deadline =
          Math.min(
              deadline,
              state == ConnectionState.ONLINE
                  ? lastOutsideAt + timeouts.idle().toNanos()
                  : createdAt + timeouts.stale().toNanos());
    } else if (state == ConnectionState.ONLINE) {
      deadline =
          Math.min(
              deadline,
              Math.min(nextKeepaliveAt, lastPongAt + timeouts.keepaliveTimeout().toNanos()));
    } else {
      deadline =
          Math.min(deadline, Math.min(nextAuthResendAt, createdAt + timeouts.stale().toNanos()));
    }
    return deadline;
  }

  /** Runs whatever is due: DTLS retransmission, keepalive, stale and idle checks. */
  public void onTimer() {
    if (state == ConnectionState.DISCONNECTED) {
      return;
    }
    long now = nanoClock.getAsLong();
    if (reassembler != null) {
      reassembler.expire(now);
    }
    try {
      tls.onTimer(bridge);
    } catch (SSLException e) {
      disconnect(DisconnectReason.TIMED_OUT);
      return;
    }
    if (server) {
      if (state != ConnectionState.ONLINE && now - (createdAt + timeouts.stale().toNanos()) >= 0) {
        disconnect(DisconnectReason.STALE);
        return;
      }
      if (state == ConnectionState.ONLINE
          && now - (lastOutsideAt + timeouts.idle().toNanos()) >= 0) {
        disconnect(DisconnectReason.AGED_OUT);
        return;
      }
    } else if (state != ConnectionState.ONLINE) {
      if (now - (createdAt + timeouts.stale().toNanos()) >= 0) {
        disconnect(DisconnectReason.TIMED_OUT); // a client gives up connecting as a server would
        return;
      }
      if (state == ConnectionState.AUTHENTICATING && now - nextAuthResendAt >= 0) {
        sendFrame(credentials);
        nextAuthResendAt = now + AUTH_RESEND_NANOS;
      }
    } else {
      if (now - (lastPongAt + timeouts.keepaliveTimeout().toNanos()) >= 0) {
        disconnect(DisconnectReason.TIMED_OUT);
        return;
      }
      if (now - nextKeepaliveAt >= 0) {
        sendFrame(new Ping(0));
        nextKeepaliveAt = now + timeouts.keepaliveInterval().toNanos();
      }
    }
    afterTls();
  }

  // ---------------------------------------------------------------------------------------------
  // Session ids (UDP)

  /**
   * Server: starts a session-id rotation to {@code next} (unused and not reserved): it goes into
   * every outgoing header at once, and a keepalive Ping carries it to an online client. The
   * rotation completes when a datagram with {@code next} in its header decrypts (§3.7).
   */
  public void beginSessionRotation(SessionId next) {
    if (!server || next.isReserved() || pendingSession != null) {
      throw new IllegalStateException("cannot rotate to " + next + " now");
    }
    pendingSession = next;
    if (state == ConnectionState.ONLINE) {
      sendFrame(new Ping(0));
      afterTls();
    }
  }

  /** Ends the connection: Goodbye and close_notify (best effort), the inside address released. */
  public void disconnect(DisconnectReason reason) {
    if (state == ConnectionState.DISCONNECTING || state == ConnectionState.DISCONNECTED) {
      return;
    }
    boolean linkUp = state != ConnectionState.CONNECTING;
    state = ConnectionState.DISCONNECTING;
    disconnectReason = reason;
    if (insideAddress != null) {
      pool.free(insideAddress);
      insideAddress = null;
    }
    if (linkUp && reason != DisconnectReason.TLS_FAILURE) {
      sendFrame(Goodbye.INSTANCE);
    }
    tls.closeOutbound(bridge);
    state = ConnectionState.DISCONNECTED;
    host.disconnected(this, reason);
  }

  // ---------------------------------------------------------------------------------------------
  // Queries

  public ConnectionState state() {
    return state;
  }

  /** Why the connection ended, once it has. */
  public Optional<DisconnectReason> disconnectReason() {
    return Optional.ofNullable(disconnectReason);
  }

  public boolean isServer() {
    return server;
  }

  public Transport transport() {
    return transport;
  }

  /** The tunnel protocol version: fixed at creation, changed only by a granted VersionedToken. */
  public ProtocolVersion version() {
    return version;
  }

  /** The session id: the server's lookup key S, or the id a client has adopted (EMPTY before). */
  public SessionId session() {
    return session;
  }

  /** Server: the id a rotation is moving to, if one is under way. */
  public Optional<SessionId> pendingSession() {
    return Optional.ofNullable(pendingSession);
  }

  /** Server: the pool address given to this connection at its first AuthRequest. */
  public Optional<Ipv4Address> insideAddress() {
    return Optional.ofNullable(insideAddress);
  }

  /** Client: the inside configuration received with AuthSuccess. */
  public Optional<InsideConfig> insideConfig() {
    return Optional.ofNullable(insideConfig);
  }

  /** The (D)TLS channel, for its protocol, cipher suite and group. */
  public SecureChannel tls() {
    return tls;
  }

  public long insidePacketsIn() {
    return insidePacketsIn;
  }

  public long insidePacketsOut() {
    return insidePacketsOut;
  }

  public long insideBytesIn() {
    return insideBytesIn;
  }

  public long insideBytesOut() {
    return insideBytesOut;
  }

  /** Inside packets dropped either way (not online, not IPv4, too large, refused fragments). */
  public long droppedPackets() {
    return droppedPackets;
  }

  /** Errors that cost a datagram or a frame but not the connection (UDP leniency, §3.4). */
  public long nonFatalErrors() {
    return nonFatalErrors;
  }

  /** Client: how many reject notices the server sent (it does not know our session any more). */
  public long rejectNoticesReceived() {
    return rejectNotices;
  }

  /** When outside bytes last arrived, on the connection's clock. */
  /** Server: the user name (or token subject) this connection authenticated as, once online. */
  public Optional<String> identity() {
    return Optional.ofNullable(identity);
  }

  /** When the connection was created, on its clock. */
  public long createdNanos() {
    return createdAt;
  }

  public long lastOutsideNanos() {
    return lastOutsideAt;
  }

  // ---------------------------------------------------------------------------------------------
  // Internals

  private void requireTransport(Transport expected) {
    if (transport != expected) {
      throw new IllegalStateException("this is a " + transport + " connection");
    }
  }

  private void dropDatagram(ByteBuffer datagram) {
    nonFatalErrors++;
    datagram.position(datagram.limit());
  }

  /** Everything that must follow a call into the TLS session. */
  private void afterTls() {
    if (state == ConnectionState.DISCONNECTED) {
      return;
    }
    if (fatal != null) {
      DisconnectReason reason = fatal;
      fatal = null;
      disconnect(reason);
      return;
    }
    if (tls.peerClosed()) {
      disconnect(DisconnectReason.PEER_CLOSED);
      return;
    }
    noteLinkUp();
    Runnable task = tls.takeDelegatedTask();
    if (task != null) {
      host.runDelegated(this, task);
    }
  }

  /**
   * Moves to LinkUp once the handshake has finished; a client then sends its credentials. Also
   * called before the first plaintext is handled, since over TCP the peer's first frame can arrive
   * in the same read as the end of its handshake.
   */
  private void noteLinkUp() {
    if (state != ConnectionState.CONNECTING || !tls.handshakeComplete()) {
      return;
    }
    state = ConnectionState.LINK_UP;
    host.linkUp(this);
    if (!server && state == ConnectionState.LINK_UP) {
      state = ConnectionState.AUTHENTICATING;
      sendFrame(credentials);
      if (transport == Transport.DATAGRAM) {
        nextAuthResendAt = nanoClock.getAsLong() + AUTH_RESEND_NANOS;
      }
    }
  }

  /** §3.7 adoption rules, once a datagram has yielded a frame. */
  private void adoptSession(long headerSession) {
    if (headerSession == SessionId.EMPTY.value()) {
      return;
    }
    if (server) {
      if (pendingSession != null && headerSession == pendingSession.value()) {
        session = pendingSession;
        pendingSession = null;
      }
    } else if (headerSession != session.value() && state == ConnectionState.ONLINE) {
      session = SessionId.of(headerSession);
    }
  }

  private void sendFrame(Frame frame) {
    frameOut.clear();
    FrameCodec.encode(frame, frameOut);
    frameOut.flip();
    sendFrameBytes();
  }

  private boolean sendFrameBytes() {
    try {
      return tls.send(frameOut, bridge);
    } catch (SSLException e) {
      fatal = DisconnectReason.TLS_FAILURE;
      return false;
    }
  }

  /** Frames of one decrypted DTLS record: each record is parsed on its own (§2.0). */
  private void onRecord(ByteBuffer record) {
    while (record.hasRemaining() && fatal == null && state != ConnectionState.DISCONNECTED) {
      FrameKind kind;
      try {
        kind = cursor.next(record);
      } catch (WireException e) {
        if (e.error().fatalOnDatagram()) {
          fatal = DisconnectReason.WIRE_ERROR;
        } else {
          nonFatalErrors++;
        }
        return; // the rest of a bad record is not trusted
      }
      if (++framesThisDatagram == 1) {
        // The datagram authenticated: its header's session id may now be trusted (§3.7). Adopting
        // before handling the frame lets a reply (the Pong to a rotation Ping) carry it already.
        adoptSession(headerSessionThisDatagram);
      }
      onFrame(kind, record);
    }
  }

  /** Frames of the decrypted TCP stream: they may span chunks, so bytes wait for the rest. */
  private void onStreamPlaintext(ByteBuffer chunk) {
    if (streamPlaintext.remaining() < chunk.remaining()) {
      int needed = streamPlaintext.position() + chunk.remaining();
      if (needed > 2 * MAX_STREAM_FRAME) {
        fatal = DisconnectReason.WIRE_ERROR;
        return;
      }
      ByteBuffer larger = ByteBuffer.allocate(Math.max(needed, 2 * streamPlaintext.capacity()));
      streamPlaintext.flip();
      larger.put(streamPlaintext);
      streamPlaintext = larger;
    }
    streamPlaintext.put(chunk);
    streamPlaintext.flip();
    try {
      while (streamPlaintext.hasRemaining()
          && fatal == null
          && state != ConnectionState.DISCONNECTED) {
        FrameKind kind;
        try {
          kind = cursor.next(streamPlaintext);
        } catch (WireException e) {
          if (e.error() != WireError.INSUFFICIENT_DATA) {
            fatal = DisconnectReason.WIRE_ERROR; // over TCP every error is fatal
          }
          return;
        }
        onFrame(kind, streamPlaintext);
      }
    } finally {
      streamPlaintext.compact();
    }
  }

  /** Non-fatal on UDP, fatal on TCP (§3.4). */
  private void lenient(DisconnectReason reasonOnStream) {
    if (transport == Transport.STREAM) {
      fatal = reasonOnStream;
    } else {
      nonFatalErrors++;
    }
  }

  private void onFrame(FrameKind kind, ByteBuffer buffer) {
    switch (kind) {
      case DATA -> {
        if (state != ConnectionState.ONLINE) {
          lenient(DisconnectReason.INVALID_STATE);
          return;
        }
        deliverInside(buffer, cursor.payloadOffset(), cursor.payloadLength());
      }
      case DATA_FRAG -> {
        if (state != ConnectionState.ONLINE) {
          lenient(DisconnectReason.INVALID_STATE);
          return;
        }
        reassemble(buffer);
      }
      case ENCODED_DATA, ENCODED_DATA_FRAG -> fatal = DisconnectReason.PACKET_CODEC_DOES_NOT_EXIST;
      default -> onControlFrame(cursor.frame());
    }
  }

  private void reassemble(ByteBuffer buffer) {
    if (reassembler == null) {
      reassembler = new FragmentReassembler();
    }
    switch (reassembler.accept(
        cursor.fragmentId(),
        cursor.fragmentOffset(),
        cursor.moreFragments(),
        buffer,
        cursor.payloadOffset(),
        cursor.payloadLength(),
        nanoClock.getAsLong())) {
      case COMPLETE -> {
        ByteBuffer packet = reassembler.completedPacket();
        deliverInside(packet, 0, packet.limit());
      }
      case REFUSED -> {
        droppedPackets++;
        nonFatalErrors++;
      }
      case INCOMPLETE -> {}
    }
  }

  private void deliverInside(ByteBuffer buffer, int offset, int length) {
    if (InsidePacket.check(buffer, offset, length) != InsidePacket.Verdict.VALID) {
      droppedPackets++;
      lenient(DisconnectReason.INVALID_INSIDE_PACKET);
      return;
    }
    if (server) {
      AddressTranslation.rewriteSource(buffer, offset, length, insideAddress.value());
    }
    insidePacketsIn++;
    insideBytesIn += length;
    host.deliverInside(this, buffer, offset, length);
  }

  private void onControlFrame(Frame frame) {
    switch (frame) {
      case NoOp _, ServerConfig _ -> {}
      case EncodingRequest _, EncodingResponse _ -> {
        // No inside-packet codec here: a server silently ignores requests (§2.11).
      }
      case Goodbye _ -> fatal = DisconnectReason.GOODBYE;
      case Ping ping -> {
        if (state != ConnectionState.ONLINE) {
          lenient(DisconnectReason.INVALID_STATE);
          return;
        }
        sendFrame(new Pong(ping.id()));
      }
      case Pong _ -> {
        if (state != ConnectionState.ONLINE) {
          lenient(DisconnectReason.INVALID_STATE);
          return;
        }
        lastPongAt = nanoClock.getAsLong();
      }
      case AuthRequest request -> onAuthRequest(request);
      case AuthSuccessWithConfigV4 success -> onAuthSuccess(success);
      case AuthFailure _ -> fatal = DisconnectReason.UNAUTHORIZED;
      case ExpresslaneConfig config -> onExpresslaneConfig(config);
      case Data _, DataFrag _ ->
          throw new IllegalStateException("data frames are handled by the cursor");
    }
  }

  private void onAuthRequest(AuthRequest request) {
    if (!server) {
      fatal = DisconnectReason.INVALID_MODE;
      return;
    }
    if (state != ConnectionState.LINK_UP && state != ConnectionState.ONLINE) {
      lenient(DisconnectReason.INVALID_STATE);
      return;
    }
    if (authPending) {
      return; // a copy of the request already being checked
    }
    authPending = true;
    if (request instanceof AuthRequest.CustomCallback) {
      completeAuth(AuthResult.denied(AuthResult.Reason.METHOD_UNAVAILABLE));
      return;
    }
    pendingAuthVersion =
        request instanceof AuthRequest.VersionedToken versioned ? versioned.version() : null;
    host.authenticate(this, request);
  }

  private void onAuthSuccess(AuthSuccessWithConfigV4 success) {
    if (server) {
      fatal = DisconnectReason.INVALID_MODE;
      return;
    }
    if (state != ConnectionState.AUTHENTICATING) {
      lenient(DisconnectReason.INVALID_STATE);
      return;
    }
    insideConfig = InsideConfig.of(success);
    if (transport == Transport.DATAGRAM && !success.session().isReserved()) {
      session = success.session();
    }
    state = ConnectionState.ONLINE;
    nextAuthResendAt = Long.MAX_VALUE;
    long now = nanoClock.getAsLong();
    lastPongAt = now;
    nextKeepaliveAt = now + timeouts.keepaliveInterval().toNanos();
    host.online(this);
  }

  /**
   * Without Expresslane of its own, a side still acknowledges the peer's announcement (echo with
   * A=1 and the negotiated version) so that the peer stops retransmitting it (§3.11).
   */
  private void onExpresslaneConfig(ExpresslaneConfig config) {
    if (state != ConnectionState.ONLINE) {
      lenient(DisconnectReason.INVALID_STATE);
      return;
    }
    if (config.ack()) {
      return;
    }
    ExpresslaneVersion negotiated =
        config.version() == ExpresslaneVersion.UNKNOWN ? ExpresslaneVersion.V2 : config.version();
    sendFrame(
        new ExpresslaneConfig(negotiated, config.enabled(), true, config.counter(), config.key()));
  }

  /** Routes the TLS session's output: headers on datagrams, frames out of plaintext. */
  private final class Bridge implements SecureChannel.Output {
    @Override
    public void outsideBytes(ByteBuffer bytes) {
      if (transport == Transport.STREAM) {
        host.sendOutside(Connection.this, bytes);
        return;
      }
      datagramOut.clear();
      OuterHeader.encode(
          datagramOut, version, false, pendingSession != null ? pendingSession : session);
      datagramOut.put(bytes).flip();
      // Until online a Lightway UDP client sends everything three times (§1.2).
      int copies = !server && state != ConnectionState.ONLINE ? COPIES_UNTIL_ONLINE : 1;
      for (int i = 0; i < copies; i++) {
        host.sendOutside(Connection.this, datagramOut);
        datagramOut.rewind();
      }
    }

    @Override
    public void plaintext(ByteBuffer plaintext) {
      if (state == ConnectionState.DISCONNECTING || state == ConnectionState.DISCONNECTED) {
        return;
      }
      noteLinkUp();
      if (transport == Transport.DATAGRAM) {
        onRecord(plaintext);
      } else {
        onStreamPlaintext(plaintext);
      }
    }
  }
}
