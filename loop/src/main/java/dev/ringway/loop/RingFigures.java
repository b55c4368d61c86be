package dev.ringway.loop;

/**
 * The ring's figures at one stats tick, as JMX's {@code Ring} bean shows them (all zero on nio but
 * the longest iteration). Not {@code dev.ringway.uring.RingStats}, the ring's own raw counters,
 * from which the io_uring loop takes these.
 *
 * @param entries submission queue entries
 * @param cqEntries completion queue entries
 * @param sqpollIdleMillis SQPOLL idle time, 0 when SQPOLL is off
 * @param generation how many times the ring was replaced (migrations) since start
 * @param enters {@code io_uring_enter} calls
 * @param cqes completions reaped
 * @param cqOverflows times the kernel reported its completion queue overflowed
 * @param sqFull times a request found the submission queue full
 * @param maxLoopIterationNanos the longest time one loop iteration spent working (not waiting)
 */
public record RingFigures(
    int entries,
    int cqEntries,
    int sqpollIdleMillis,
    long generation,
    long enters,
    long cqes,
    long cqOverflows,
    long sqFull,
    long maxLoopIterationNanos) {

  /** Completions per {@code io_uring_enter} since start. */
  public double cqesPerEnter() {
    return enters == 0 ? 0 : (double) cqes / enters;
  }
}
