package dev.ringway.core.tls;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * One TCP connection's TLS 1.3 session over the JDK's {@link SSLEngine}, with no I/O: the loop
 * feeds received stream bytes to {@link #receive}, plaintext to {@link #send}, and everything to
 * transmit or deliver comes back through an {@link Output}. (UDP runs on our own DTLS 1.3, {@link
 * DtlsChannel}.)
 *
 * <p>Nothing slow runs inside: when the engine needs a delegated task (signatures, key exchange),
 * the session stops, {@link #takeDelegatedTask()} hands the work out for a worker thread, and the
 * loop calls {@link #resume} afterwards. Stream bytes arriving meanwhile wait in a buffer.
 *
 * <p>Buffers are allocated once per session; the steady-state {@code send}/{@code receive} path
 * allocates nothing of its own (the JDK engine itself allocates per call). Not thread-safe: one
 * loop thread owns it, only the handed-out task runs elsewhere.
 */
public final class TlsSession implements SecureChannel {
  // SSLEngine's one-buffer wrap/unwrap wrap their argument in a new array on every call; these
  // reusable one-element arrays keep the record path allocation-free on our side.
  private final ByteBuffer[] wrapSource = new ByteBuffer[1];
  private final ByteBuffer[] unwrapTarget = new ByteBuffer[1];

  /** Where a session puts what it produces; the same contract as every channel's. */
  public interface Output extends SecureChannel.Output {}

  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0).asReadOnlyBuffer();
  private static final int MAX_STREAM_BACKLOG = 1 << 20;

  private final SSLEngine engine;
  private ByteBuffer appIn;
  private ByteBuffer netOut;

  /** Stream: received ciphertext not yet decrypted (write mode). */
  private ByteBuffer streamIn;

  private boolean started;
  private boolean taskPending;
  private boolean taskHandedOut;
  private boolean handshakeComplete;

  TlsSession(SSLEngine engine) {
    this.engine = engine;
    int packetSize = engine.getSession().getPacketBufferSize();
    this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    this.netOut = ByteBuffer.allocate(packetSize);
    this.streamIn = ByteBuffer.allocate(packetSize);
  }

  /** Always the stream. */
  @Override
  public Transport transport() {
    return Transport.STREAM;
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
   * Feeds whatever the stream delivered; consumes all of {@code in}. Throws when the peer broke the
   * protocol fatally; the session is then unusable (an alert may have been emitted).
   */
  public void receive(ByteBuffer in, SecureChannel.Output out) throws SSLException {
    if (!started) {
      start(out);
    }
    try {
      appendToStream(in);
      if (!taskPending) {
        drainStream(out);
      }
    } catch (SSLException e) {
      flushAfterFailure(out);
      throw e;
    }
  }

  /**
   * Encrypts {@code plaintext}. Returns false when the session cannot take application data now
   * (handshake unfinished, a task pending, or closed); the bytes are then left in {@code
   * plaintext}.
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
      drainStream(out);
    } catch (SSLException e) {
      flushAfterFailure(out);
      throw e;
    }
  }

  /** Whether a delegated task must run before the session can make progress. */
  public boolean awaitingTask() {
    return taskPending;
  }

  /** A stream has nothing to retransmit: TCP does it. */
  @Override
  public long nextDeadlineNanos() {
    return Long.MAX_VALUE;
  }

  @Override
  public void onTimer(SecureChannel.Output out) throws SSLException {}

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
      noteHandshake(result);
      if (result.bytesProduced() > 0) {
        netOut.flip();
        out.outsideBytes(netOut);
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
      noteHandshake(result);
      if (result.bytesProduced() > 0) {
        appIn.flip();
        out.plaintext(appIn);
      }
      return result;
    }
  }

  private void noteHandshake(SSLEngineResult result) {
    if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
      handshakeComplete = true;
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
