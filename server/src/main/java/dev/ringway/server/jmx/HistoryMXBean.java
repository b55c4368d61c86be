package dev.ringway.server.jmx;

import java.util.List;

/**
 * {@code dev.ringway:type=History}: the server's own record of its stats ticks, so that a client
 * that connects late or reconnects after a gap fills its charts at once. A restart starts it empty;
 * gaps show as missing timestamps.
 */
public interface HistoryMXBean {

  /** Wall-clock time of the oldest sample held; 0 when empty. */
  long getOldest();

  /** Wall-clock time of the newest sample; 0 when empty. */
  long getNewest();

  /** Samples the history holds at most: history.retention over stats.interval. */
  int getCapacity();

  /** Samples held now. */
  int getSize();

  /** Time between samples: stats.interval. */
  long getIntervalMillis();

  /** Heap the history takes at capacity. */
  long getMemoryBytes();

  /**
   * The samples taken in {@code [fromEpochMillis, toEpochMillis]}, oldest first, at most {@code
   * maxPoints} of them (evenly spaced when there are more).
   */
  Sample[] range(long fromEpochMillis, long toEpochMillis, int maxPoints);

  /**
   * One stats tick. Counters are cumulative since the server started, so rates come from the
   * differences of two samples over their {@code monotonicNanos}.
   */
  record Sample(
      long epochMillis,
      long monotonicNanos,
      long enters,
      long cqes,
      long cqOverflows,
      long sqFull,
      long maxLoopIterationNanos,
      List<PathSample> paths) {}

  /** One path at a tick; named as in its ObjectName ({@code udp.rx}). */
  record PathSample(
      String path,
      int slots,
      int inFlight,
      long bytes,
      long packets,
      long eagain,
      long slotExhausted,
      long errors) {}
}
