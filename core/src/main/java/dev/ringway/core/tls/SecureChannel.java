package dev.ringway.core.tls;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLException;

/**
 * One connection's security layer as the connection drives it, with no I/O: TLS 1.3 over the JDK's
 * {@code SSLEngine} for TCP ({@link TlsSession}) or our own DTLS 1.3 for UDP ({@link DtlsChannel}).
 * Received outside bytes go to {@link #receive}, plaintext to {@link #send}; what to transmit or
 * deliver comes back through an {@link Output}. Slow work is handed out by {@link
 * #takeDelegatedTask()} for a worker and continued with {@link #resume} on the owning thread.
 * Failures surface as {@link SSLException} whichever engine is underneath.
 */
public sealed interface SecureChannel permits TlsSession, DtlsChannel {

  /** Where a channel puts what it produces. Buffers passed in are valid only during the call. */
  interface Output {
    /** Bytes to transmit: one whole datagram payload (DTLS) or the next chunk of the stream. */
    void outsideBytes(ByteBuffer bytes);

    /** Decrypted bytes: one DTLS record's payload, or the next chunk of the TLS stream. */
    void plaintext(ByteBuffer plaintext);
  }

  Transport transport();

  boolean isClient();

  /** Begins the handshake; a client emits its first flight. Idempotent. */
  void start(Output out) throws SSLException;

  /** Feeds received outside bytes (one datagram payload, or a stream chunk); consumes them. */
  void receive(ByteBuffer in, Output out) throws SSLException;

  /**
   * Encrypts {@code plaintext} (over DTLS one record, one datagram). Returns false when the channel
   * cannot take application data now; the bytes are then left in {@code plaintext}.
   */
  boolean send(ByteBuffer plaintext, Output out) throws SSLException;

  /** The slow work to run on a worker thread, or null when none is due or it was handed out. */
  Runnable takeDelegatedTask();

  /** Continues on the owning thread after the delegated task ran. */
  void resume(Output out) throws SSLException;

  /** When {@link #onTimer} must next run (the channel's clock), or {@link Long#MAX_VALUE}. */
  long nextDeadlineNanos();

  /** Retransmits what is due; throws once the peer has gone unanswered too long. */
  void onTimer(Output out) throws SSLException;

  boolean handshakeComplete();

  /** The negotiated protocol, e.g. {@code TLSv1.3} or {@code DTLSv1.3}. */
  String protocol();

  /** The negotiated cipher suite's IANA name, e.g. {@code TLS_AES_256_GCM_SHA384}. */
  String cipherSuite();

  /** The negotiated key-exchange group, or {@code null} where the engine does not say. */
  String group();

  /** Whether the peer has sent close_notify. */
  boolean peerClosed();

  /** Sends close_notify (best effort) and takes no more application data. */
  void closeOutbound(Output out);
}
