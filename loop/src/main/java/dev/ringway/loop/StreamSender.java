package dev.ringway.loop;

import java.nio.ByteBuffer;

/**
 * Sends on TCP streams, each named by the id its source returned when it opened: {@link
 * TcpStreamSource} through the ring, {@link NioTcpStreamSource} on non-blocking {@code
 * SocketChannel}s. Both keep a stream's bytes in order in {@link TxPool} slots, bound each stream's
 * unsent bytes by {@code io.tcp.socketBuffer}, and send Goodbye and close_notify before closing.
 * Loop thread only.
 */
public interface StreamSender {
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
   * TcpStreamSource#LINGER_NANOS}), then closes the socket. Idempotent; the handler hears no {@link
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
