package dev.ringway.loop.uring;

/**
 * A source of I/O on the loop. Its requests carry its tag in {@code user_data}, and the loop hands
 * their completions back to it. Every method runs on the loop thread.
 */
public interface IoSource {
  /** Prepares the source's initial requests (reads, accepts) on the loop's ring. */
  void arm(EventLoop loop);

  /** One completion of a request this source prepared. */
  void complete(long userData, int res, int flags);

  /**
   * Asks every request this source has in flight to finish ({@code ASYNC_CANCEL}); their
   * completions still arrive and the memory they use stays the kernel's until then.
   */
  void cancelAll(EventLoop loop);

  /**
   * Runs after each batch of completions: re-arms what had to wait (for a free TX slot, or for room
   * in the submission queue).
   */
  default void afterBatch() {}

  /**
   * A ring migration started: cancel every read this source has armed on {@code old}. Their
   * completions still arrive (from {@code old}); re-arm them as usual, which now lands on the
   * loop's new ring. Sends in flight on {@code old} just complete.
   */
  void moveReads(EventLoop loop, dev.ringway.uring.Ring old);

  /** Requests this source has in flight. */
  int inFlight();

  /** Frees what the source holds; only after its last completion, or after the ring is gone. */
  void close();
}
