package dev.ringway.core.tls;

import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * One connection's TLS 1.3 (stream) or DTLS 1.2 (datagram) session over an {@link SSLEngine}, with
 * no I/O: the loop feeds received outside bytes to {@link #receive}, plaintext to {@link #send},
 * and everything to transmit or deliver comes back through an {@link Output}.
 *
 * <p>Nothing slow runs inside: when the engine needs a delegated task (signatures, key exchange),
 * the session stops, {@link #takeDelegatedTask()} hands the work out for a worker thread, and the
 * loop calls {@link #resume} afterwards. Input arriving meanwhile is held (datagrams: a few, the
 * rest dropped, since DTLS retransmits). DTLS handshake retransmission is a deadline the loop
 * schedules on its own timer ({@link #nextDeadlineNanos()}, {@link #onTimer}).
 *
 * <p>The JDK's DTLS 1.2 engine needs help on a real network, found with the lossy-network tests: it
 * keeps no anti-replay window, so duplicated records would deliver twice ({@link ReplayWindow}
 * here); a server that finished does not resend its last flight when the client retransmits (resent
 * here); exact copies of handshake datagrams arriving out of order can derail it (dropped here).
 * Even so, about 2 % of handshakes under 20 % loss plus 20 % duplication plus 20 % reordering still
 * fail inside the engine; the connection layer's timeouts then give up and the client reconnects.
 *
 * <p>Buffers are allocated once per session; the steady-state {@code send}/{@code receive} path
 * allocates nothing of its own (the JDK engine itself allocates per call: measured 1.3-2.8 KB per
 * packet). Not thread-safe: one loop thread owns it, only the handed-out task runs elsewhere.
 */
public final class TlsSession implements SecureChannel {
  // SSLEngine's one-buffer wrap/unwrap wrap their argument in a new array on every call; these
  // reusable one-element arrays keep the record path allocation-free on our side.
  private final ByteBuffer[] wrapSource = new ByteBuffer[1];
  private final ByteBuffer[] unwrapTarget = new ByteBuffer[1];

  /** Where a session puts what it produces; the same contract as every channel's. */
  public interface Output extends SecureChannel.Output {}

  /** First DTLS retransmission timeout; doubled on each retransmission. */
  static final long INITIAL_RETRANSMIT_NANOS = 200_000_000L;

  /** Largest DTLS retransmission timeout. */
  static final long MAX_RETRANSMIT_NANOS = 6_400_000_000L;

  /** Retransmissions without an answer before the handshake is given up (about 12.6 s). */
  static final int MAX_RETRANSMISSIONS = 6;

  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0).asReadOnlyBuffer();
  private static final int MAX_STREAM_BACKLOG = 1 << 20;
  private static final int HELD_DATAGRAMS = 4;
  private static final byte HANDSHAKE_RECORD = 22;
  private static final int RECORD_HEADER = 13;

  private final SSLEngine engine;
  private final Transport transport;
  private final LongSupplier nanoClock;
  private ByteBuffer appIn;
  private ByteBuffer netOut;

  /** Stream: received ciphertext not yet decrypted (write mode). */
  private ByteBuffer streamIn;

  /** Datagram: datagrams held while a task runs, each as u16 length + bytes (write mode). */
  private ByteBuffer heldDatagrams;

  /**
   * DTLS server: the datagrams of its last handshake flight, each as u16 length + bytes, kept to
   * answer a client that lost them (the JDK engine does not resend once it has finished).
   */
  private ByteBuffer lastFlight;

  private final ReplayWindow replayWindow = new ReplayWindow();

  /** Epoch and sequence number of the first record of recent handshake datagrams (a ring). */
  private final long[] recentHandshakeRecords = new long[32];

  private int recentHandshakeNext;
  private boolean started;
  private boolean taskPending;
  private boolean taskHandedOut;
  private boolean handshakeComplete;
  private long deadline = Long.MAX_VALUE;
  private long retransmitTimeout = INITIAL_RETRANSMIT_NANOS;
  private int retransmissions;

  TlsSession(SSLEngine engine, Transport transport, LongSupplier nanoClock) {
    this.engine = engine;
    this.transport = transport;
    this.nanoClock = nanoClock;
    int packetSize = engine.getSession().getPacketBufferSize();
    this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    this.netOut = ByteBuffer.allocate(packetSize);
    if (transport == Transport.STREAM) {
      streamIn = ByteBuffer.allocate(packetSize);
    } else {
      heldDatagrams = ByteBuffer.allocate(HELD_DATAGRAMS * (2 + packetSize));
      if (!engine.getUseClientMode()) {
        lastFlight = ByteBuffer.allocate(HELD_DATAGRAMS * (2 + packetSize));
      }
    }
  }

  /** Stream or datagram. */
  public Transport transport() {
    return transport;
  }

  /** Whether this is the client side. */
  public boolean isClient() {
    return engine.getUseClientMode();
  }

  /**
   * Begins the handshake; a client emits its first flight. Idempotent; {@link #receive} starts a
   * server implicitly.
   */
  public void start(SecureChannel.Output out) throws SSLException {
    if (started) {
      return;
    }
    started = true;
    engine.beginHandshake();
    drive(null, out);
  }

  /**
   * Feeds received outside bytes: one whole datagram payload after the Lightway header (DTLS), or
   * whatever the stream delivered (TLS). Consumes all of {@code in}. Throws when the peer broke the
   * protocol fatally; the session is then unusable (an alert may have been emitted).
   */
  public void receive(ByteBuffer in, SecureChannel.Output out) throws SSLException {
    if (!started) {
      start(out);
    }
    try {
      if (transport == Transport.STREAM) {
        appendToStream(in);
        if (!taskPending) {
          drainStream(out);
        }
      } else if (isRetransmittedHandshake(in)) {
        resendLastFlight(out);
        in.position(in.limit());
      } else if (isDuplicatedHandshake(in)) {
        in.position(in.limit());
      } else if (taskPending || heldDatagrams.position() > 0) {
        holdDatagram(in);
      } else {
        drive(in, out);
        if (taskPending && in.hasRemaining()) {
          holdDatagram(in);
        }
        in.position(in.limit());
      }
    } catch (SSLException e) {
      flushAfterFailure(out);
      throw e;
    }
  }

  /**
   * Encrypts {@code plaintext}; for DTLS it must fit one record ({@link
   * TlsEndpoint#MAX_DTLS_PLAINTEXT}) and becomes one datagram. Returns false when the session
   * cannot take application data now (handshake unfinished, a task pending, or closed); the bytes
   * are then left in {@code plaintext}.
   */
  public boolean send(ByteBuffer plaintext, SecureChannel.Output out) throws SSLException {
    if (!handshakeComplete || taskPending || engine.isOutboundDone()) {
      return false;
    }
    while (plaintext.hasRemaining()) {
      SSLEngineResult result = wrap(plaintext, out);
      if (result.bytesConsumed() == 0) {
        return false;
      }
    }
    drive(null, out);
    return true;
  }

  /**
   * The work the engine is waiting for, to be run on a worker thread, or null when none is due (or
   * it was already handed out). Call {@link #resume} on the loop thread once it has run.
   */
  public Runnable takeDelegatedTask() {
    if (!taskPending || taskHandedOut) {
      return null;
    }
    taskHandedOut = true;
    return () -> {
      for (Runnable task = engine.getDelegatedTask(); task != null; ) {
        task.run();
        task = engine.getDelegatedTask();
      }
    };
  }

  /** Continues after the delegated task ran: processes held input and emits what is due. */
  public void resume(SecureChannel.Output out) throws SSLException {
    if (!taskPending) {
      return;
    }
    taskPending = false;
    taskHandedOut = false;
    try {
      if (transport == Transport.STREAM) {
        drainStream(out);
      } else {
        drive(null, out);
        replayHeldDatagrams(out);
      }
    } catch (SSLException e) {
      flushAfterFailure(out);
      throw e;
    }
  }

  /** Whether a delegated task must run before the session can make progress. */
  public boolean awaitingTask() {
    return taskPending;
  }

  /**
   * When {@link #onTimer} must next be called (a {@link System#nanoTime()}-style instant of the
   * session's clock), or {@link Long#MAX_VALUE} when nothing is scheduled. Only a DTLS handshake
   * that waits for the peer has a deadline.
   */
  public long nextDeadlineNanos() {
    return deadline;
  }

  /**
   * Retransmits the last DTLS flight if its deadline has passed; throws {@link
   * SSLHandshakeException} once the handshake has gone unanswered too long.
   */
  public void onTimer(SecureChannel.Output out) throws SSLException {
    long now = nanoClock.getAsLong();
    if (deadline == Long.MAX_VALUE || now - deadline < 0 || taskPending) {
      return;
    }
    if (handshakeComplete || engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
      deadline = Long.MAX_VALUE;
      return;
    }
    if (retransmissions == MAX_RETRANSMISSIONS) {
      deadline = Long.MAX_VALUE;
      throw new SSLHandshakeException(
          "DTLS handshake timed out after " + retransmissions + " retransmissions");
    }
    retransmissions++;
    retransmitTimeout = Math.min(retransmitTimeout * 2, MAX_RETRANSMIT_NANOS);
    // A wrap while the engine waits for the peer makes a DTLS SSLEngine resend its last flight.
    SSLEngineResult result = wrap(NOTHING, out);
    if (result.bytesProduced() > 0) {
      drive(null, out);
    }
    deadline = now + retransmitTimeout;
  }

  /** Whether the handshake has finished; application data may flow. */
  public boolean handshakeComplete() {
    return handshakeComplete;
  }

  /** The negotiated protocol, e.g. {@code TLSv1.3} or {@code DTLSv1.2}. */
  public String protocol() {
    return engine.getSession().getProtocol();
  }

  /** The negotiated cipher suite, e.g. {@code TLS_AES_256_GCM_SHA384}. */
  public String cipherSuite() {
    return engine.getSession().getCipherSuite();
  }

  /** The JDK does not say which group its handshake used. */
  @Override
  public String group() {
    return null;
  }

  /** Whether the peer has sent close_notify. */
  public boolean peerClosed() {
    return engine.isInboundDone();
  }

  /** Sends close_notify (best effort) and takes no more application data. */
  public void closeOutbound(SecureChannel.Output out) {
    engine.closeOutbound();
    deadline = Long.MAX_VALUE;
    flushAfterFailure(out);
  }

  private void appendToStream(ByteBuffer in) throws SSLException {
    if (in.remaining() > streamIn.remaining()) {
      int needed = streamIn.position() + in.remaining();
      if (needed > MAX_STREAM_BACKLOG) {
        throw new SSLException("peer sent " + needed + " bytes the handshake could not take yet");
      }
      ByteBuffer larger = ByteBuffer.allocate(Math.max(needed, streamIn.capacity() * 2));
      streamIn.flip();
      larger.put(streamIn);
      streamIn = larger;
    }
    streamIn.put(in);
  }

  private void drainStream(SecureChannel.Output out) throws SSLException {
    streamIn.flip();
    try {
      drive(streamIn, out);
    } finally {
      streamIn.compact();
    }
  }

  private void holdDatagram(ByteBuffer in) {
    if (heldDatagrams.remaining() >= 2 + in.remaining()) {
      heldDatagrams.putShort((short) in.remaining()).put(in);
    }
    in.position(in.limit());
  }

  /**
   * Whether {@code datagram}, arriving after our handshake finished, starts with an epoch-0
   * handshake record: the client retransmitting its flight because ours got lost.
   */
  private boolean isRetransmittedHandshake(ByteBuffer datagram) {
    int at = datagram.position();
    return handshakeComplete
        && lastFlight != null
        && lastFlight.position() > 0
        && datagram.remaining() >= 5
        && datagram.get(at) == HANDSHAKE_RECORD
        && datagram.getShort(at + 3) == 0;
  }

  /**
   * Whether {@code datagram} is a copy of one already received during the handshake: its first
   * record's epoch and sequence number were seen before. The network duplicates datagrams, and
   * Lightway clients send each one three times until online; the JDK's DTLS handshake stumbles over
   * such copies when they also arrive out of order, so they are dropped before it sees them.
   * (Retransmitted flights carry fresh sequence numbers and pass.)
   */
  private boolean isDuplicatedHandshake(ByteBuffer datagram) {
    if (handshakeComplete || datagram.remaining() < RECORD_HEADER) {
      return false;
    }
    // Stored + 1 so that the empty slots (0) never match epoch 0, sequence 0.
    long record = datagram.getLong(datagram.position() + 3) + 1;
    for (long seen : recentHandshakeRecords) {
      if (seen == record) {
        return true;
      }
    }
    recentHandshakeRecords[recentHandshakeNext] = record;
    recentHandshakeNext = (recentHandshakeNext + 1) % recentHandshakeRecords.length;
    return false;
  }

  private void resendLastFlight(SecureChannel.Output out) {
    ByteBuffer flight = lastFlight.duplicate().flip();
    while (flight.remaining() >= 2) {
      int end = flight.position() + 2 + Short.toUnsignedInt(flight.getShort());
      out.outsideBytes(flight.limit(end));
      flight.limit(lastFlight.position()).position(end);
    }
  }

  private void replayHeldDatagrams(SecureChannel.Output out) throws SSLException {
    heldDatagrams.flip();
    int limit = heldDatagrams.limit();
    while (heldDatagrams.remaining() >= 2) {
      int start = heldDatagrams.position();
      int end = start + 2 + Short.toUnsignedInt(heldDatagrams.getShort());
      heldDatagrams.limit(end);
      drive(heldDatagrams, out);
      heldDatagrams.limit(limit);
      if (taskPending) {
        int rest = end - heldDatagrams.position();
        if (rest > 0) {
          // Keep the unprocessed tail of this datagram, re-prefixed, ahead of the others.
          int prefix = heldDatagrams.position() - 2;
          heldDatagrams.putShort(prefix, (short) rest);
          heldDatagrams.position(prefix);
        } else {
          heldDatagrams.position(end);
        }
        break;
      }
      heldDatagrams.position(end);
    }
    heldDatagrams.compact();
  }

  /**
   * Runs the engine until it needs input it does not have, or a delegated task. {@code in} is the
   * received ciphertext, or null.
   */
  private void drive(ByteBuffer in, SecureChannel.Output out) throws SSLException {
    int idle = 0;
    while (idle < 4) {
      HandshakeStatus status = engine.getHandshakeStatus();
      SSLEngineResult result;
      switch (status) {
        case NEED_TASK -> {
          taskPending = true;
          return;
        }
        case NEED_WRAP -> {
          result = wrap(NOTHING, out);
          if (result.getStatus() == Status.CLOSED && result.bytesProduced() == 0) {
            return;
          }
        }
        case NEED_UNWRAP_AGAIN -> result = unwrap(NOTHING, out);
        default -> {
          if (in == null || !in.hasRemaining()) {
            return;
          }
          result = unwrap(in, out);
          if (result.getStatus() == Status.BUFFER_UNDERFLOW || result.bytesConsumed() == 0) {
            if (transport == Transport.DATAGRAM) {
              in.position(in.limit()); // a record never spans datagrams: the rest is garbage
            }
            return;
          }
          if (result.getStatus() == Status.CLOSED) {
            return;
          }
        }
      }
      // Guards against an engine that keeps asking for the same step without doing anything.
      boolean moved =
          result.bytesConsumed() > 0
              || result.bytesProduced() > 0
              || engine.getHandshakeStatus() != status;
      idle = moved ? 0 : idle + 1;
    }
  }

  private SSLEngineResult wrap(ByteBuffer plaintext, SecureChannel.Output out) throws SSLException {
    while (true) {
      netOut.clear();
      wrapSource[0] = plaintext;
      SSLEngineResult result = engine.wrap(wrapSource, 0, 1, netOut);
      if (result.getStatus() == Status.BUFFER_OVERFLOW) {
        netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, packetBufferSize()));
        continue;
      }
      boolean handshaking = !handshakeComplete;
      noteHandshake(result);
      if (result.bytesProduced() > 0) {
        netOut.flip();
        if (handshaking && lastFlight != null && lastFlight.remaining() >= 2 + netOut.remaining()) {
          lastFlight.putShort((short) netOut.remaining()).put(netOut.duplicate());
        }
        out.outsideBytes(netOut);
        if (!handshakeComplete && transport == Transport.DATAGRAM) {
          if (plaintext == NOTHING) {
            // A new flight (or a resend) restarts the timer of that flight.
            deadline = nanoClock.getAsLong() + retransmitTimeout;
          }
        }
      }
      return result;
    }
  }

  private SSLEngineResult unwrap(ByteBuffer ciphertext, SecureChannel.Output out)
      throws SSLException {
    while (true) {
      appIn.clear();
      unwrapTarget[0] = appIn;
      SSLEngineResult result = engine.unwrap(ciphertext, unwrapTarget, 0, 1);
      if (result.getStatus() == Status.BUFFER_OVERFLOW) {
        appIn =
            ByteBuffer.allocate(
                Math.max(appIn.capacity() * 2, engine.getSession().getApplicationBufferSize()));
        continue;
      }
      if (result.bytesConsumed() > 0 && !handshakeComplete && transport == Transport.DATAGRAM) {
        // The peer answered: the next flight starts with a fresh timeout.
        retransmissions = 0;
        retransmitTimeout = INITIAL_RETRANSMIT_NANOS;
        if (lastFlight != null) {
          lastFlight.clear();
        }
      }
      noteHandshake(result);
      if (result.bytesProduced() > 0
          && (transport == Transport.STREAM || replayWindow.accept(result.sequenceNumber()))) {
        if (lastFlight != null && lastFlight.position() > 0) {
          lastFlight.clear(); // the client's application data proves it got our last flight
        }
        appIn.flip();
        out.plaintext(appIn);
      }
      return result;
    }
  }

  private void noteHandshake(SSLEngineResult result) {
    if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
      handshakeComplete = true;
      deadline = Long.MAX_VALUE;
      if (transport == Transport.DATAGRAM) {
        // After a flight has been resent more than twice, the JDK halves a DTLS engine's packet
        // size (DTLSOutputRecord.shrinkPacketSize, down to 256 bytes) and keeps the smaller size
        // for the whole session. A full-size Data frame would then be wrapped into two records in
        // two datagrams, and the peer drops both halves. Setting the parameters again restores
        // the configured size (TlsEndpoint.MAX_DTLS_PACKET) for application data.
        engine.setSSLParameters(engine.getSSLParameters());
      }
    }
  }

  private int packetBufferSize() {
    return engine.getSession().getPacketBufferSize();
  }

  /** Emits whatever the engine still wants to say (an alert, close_notify), ignoring failures. */
  private void flushAfterFailure(SecureChannel.Output out) {
    try {
      for (int i = 0; i < 4 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
        if (wrap(NOTHING, out).bytesProduced() == 0) {
          return;
        }
      }
      if (engine.isOutboundDone()) {
        return;
      }
      wrap(NOTHING, out);
    } catch (SSLException | RuntimeException e) {
      // The session is failing anyway; an alert we cannot produce is not worth another error.
    }
  }
}
