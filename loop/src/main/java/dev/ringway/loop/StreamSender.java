package dev.ringway.loop;

import java.nio.ByteBuffer;

/**
 * Sends on TCP streams, each named by the id the engine's stream source gave it when it opened
 * (through the ring, or on non-blocking {@code SocketChannel}s). Both engines keep a stream's bytes
 * in order in {@link TxPool} slots, bound each stream's unsent bytes by {@code
 * io.tcp.socketBuffer}, and send Goodbye and close_notify before closing. Loop thread only.
 */
public interface StreamSender {
  /** Receive buffer per stream: one full TLS record (16 KiB plaintext plus overhead) fits. */
  int RECEIVE_BYTES = 17 * 1024;

  /** How long a closed stream may take to send what it had queued before it is aborted. */
  long LINGER_NANOS = 2_000_000_000L;

  /**
   * Queues all of {@code bytes} (position to limit) after what was queued before, or nothing: false
   * (counted as slot exhaustion on {@code tcp.tx}) when the stream's unsent bytes would pass {@code
   * io.tcp.socketBuffer}, when the pool lacks the slots, or when the stream is not open. On success
   * {@code bytes} is consumed. A refused chunk leaves a gap in the TLS stream: callers treat a
   * refusal as fatal.
   */
  boolean send(long id, ByteBuffer bytes);

  /**
   * Whether an inside packet that encrypts to at most {@code length} bytes may be sent now, keeping
   * the pool's data reserve for control frames; callers ask before encrypting.
   */
  boolean hasRoom(long id, int length);

  /**
   * Ends the stream from this side: stops receiving, sends what is queued (for at most {@link
   * #LINGER_NANOS}), then closes the socket. Idempotent; the handler hears no {@link
   * StreamHandler#ended} for it.
   */
  void close(long id);

  /** Ends the stream at once; queued bytes are dropped. */
  void abort(long id);

  /**
   * Sets {@code SO_SNDBUF}/{@code SO_RCVBUF} to {@code bytes} on every open stream and on new ones,
   * and bounds each stream's unsent bytes to it.
   */
  void setSocketBuffer(int bytes);

  /** Streams holding a slot: open, or closed and still sending what they had queued. */
  int count();
}
