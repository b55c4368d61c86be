package dev.ringway.loop;

import java.nio.ByteBuffer;

/**
 * What the owner of streams hears, on either engine; every call is on the loop thread.
 *
 * @param <A> what the owner attaches to each stream (the server's peer, the client's path)
 */
public interface StreamHandler<A> {
  /**
   * Bytes arrived: the first {@code length} bytes of {@code view} (position 0, limit {@code
   * length}), valid only during the call.
   */
  void received(A owner, ByteBuffer view, int length);

  /**
   * The peer ended the stream: {@code cause} is 0 for an orderly EOF, else the negative errno of
   * the failed receive or send. The stream is already being torn down; no more bytes arrive.
   */
  void ended(A owner, int cause);

  /** The stream's socket is closed and its buffer freed; its id is dead. */
  default void released(A owner) {}
}
