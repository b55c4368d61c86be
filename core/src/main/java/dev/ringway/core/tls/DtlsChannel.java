package dev.ringway.core.tls;

import dev.ringway.core.dtls.DtlsException;
import dev.ringway.core.dtls.DtlsSession;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;

/**
 * A {@link SecureChannel} over our own DTLS 1.3 engine ({@link DtlsSession}), for UDP: one datagram
 * payload in, whole datagram payloads and decrypted records out, read on {@code nanoClock}. The
 * engine keeps its own anti-replay window and retransmission timer, so none of the JDK DTLS 1.2
 * workarounds are needed here. Loop thread only, but for the handed-out task.
 */
public final class DtlsChannel implements SecureChannel {
  private final DtlsSession session;
  private final boolean client;
  private final LongSupplier nanoClock;
  private final Bridge bridge = new Bridge();
  private boolean started;
  private boolean taskHandedOut;

  DtlsChannel(DtlsSession session, boolean client, LongSupplier nanoClock) {
    this.session = session;
    this.client = client;
    this.nanoClock = nanoClock;
  }

  /** The engine underneath, for its epochs and KeyUpdate. */
  public DtlsSession session() {
    return session;
  }

  @Override
  public Transport transport() {
    return Transport.DATAGRAM;
  }

  @Override
  public boolean isClient() {
    return client;
  }

  @Override
  public void start(Output out) throws SSLException {
    if (started) {
      return;
    }
    started = true;
    try {
      session.start(nanoClock.getAsLong(), bridge.to(out));
    } catch (DtlsException e) {
      throw failure(e);
    }
  }

  @Override
  public void receive(ByteBuffer in, Output out) throws SSLException {
    if (!started) {
      start(out);
    }
    try {
      session.receive(in, nanoClock.getAsLong(), bridge.to(out));
    } catch (DtlsException e) {
      throw failure(e);
    } finally {
      in.position(in.limit());
    }
  }

  @Override
  public boolean send(ByteBuffer plaintext, Output out) {
    if (!session.isHandshakeComplete()
        || session.isClosed()
        || session.isFailed()
        || plaintext.remaining() > session.maxPlaintext()) {
      return false;
    }
    session.send(plaintext, nanoClock.getAsLong(), bridge.to(out));
    return true;
  }

  @Override
  public Runnable takeDelegatedTask() {
    if (taskHandedOut || !session.hasTask()) {
      return null;
    }
    taskHandedOut = true;
    return session.takeTask();
  }

  @Override
  public void resume(Output out) throws SSLException {
    taskHandedOut = false;
    try {
      session.resume(nanoClock.getAsLong(), bridge.to(out));
    } catch (DtlsException e) {
      throw failure(e);
    }
  }

  @Override
  public long nextDeadlineNanos() {
    return session.nextTimerNanos();
  }

  @Override
  public void onTimer(Output out) throws SSLException {
    try {
      session.onTimer(nanoClock.getAsLong(), bridge.to(out));
    } catch (DtlsException e) {
      throw failure(e);
    }
  }

  @Override
  public boolean handshakeComplete() {
    return session.isHandshakeComplete();
  }

  @Override
  public String protocol() {
    return session.protocol();
  }

  @Override
  public String cipherSuite() {
    return session.cipherSuite();
  }

  @Override
  public String group() {
    return session.group();
  }

  @Override
  public boolean peerClosed() {
    return session.peerClosed();
  }

  @Override
  public void closeOutbound(Output out) {
    session.close(bridge.to(out));
  }

  private static SSLException failure(DtlsException e) {
    return new SSLException("DTLS 1.3: " + e.getMessage() + " (alert " + e.alert() + ")", e);
  }

  /** Adapts the engine's output to the channel's; one per channel, so nothing per call. */
  private static final class Bridge implements DtlsSession.Output {
    private Output target;

    Bridge to(Output out) {
      target = out;
      return this;
    }

    @Override
    public void transmit(ByteBuffer datagram) {
      target.outsideBytes(datagram);
    }

    @Override
    public void deliver(ByteBuffer applicationData) {
      target.plaintext(applicationData);
    }
  }
}
