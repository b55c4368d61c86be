package dev.ringway.loop.nio;

import java.io.IOException;

/**
 * A source of I/O on the {@link NioLoop}: the same role as an {@link IoSource} on the ring, with
 * readiness instead of completions. Every method runs on the loop thread.
 */
interface NioSource extends ReadinessHandler {
  /** Registers the source's channels on the loop's selector and starts what it needs. */
  void arm(NioLoop loop) throws IOException;

  /**
   * Runs after each select: takes in work that does not come through the selector and re-enables
   * what waited for a free TX slot.
   */
  default void afterSelect() {}

  /**
   * Whether work is waiting that the selector will not report, so that the loop must not sleep.
   * Read after the loop announced it is about to select, see {@link NioLoop#wakeupIfSelecting}.
   */
  default boolean hasWork() {
    return false;
  }

  /** Stops reading and gives back what is queued; the loop is stopping. */
  void stop();

  /** Frees what the source holds; after {@link #stop()}. */
  void close();
}
