package dev.ringway.uring;

/**
 * A ring's sizes and counters at one moment (see the same-named methods of {@link Ring}). Counters
 * only grow, so rates come from the difference of two snapshots.
 *
 * @param sqEntries submission queue entries
 * @param cqEntries completion queue entries
 * @param inFlight requests prepared whose final completion has not been drained
 * @param enters {@code io_uring_enter} calls
 * @param cqesReaped completions drained
 * @param cqOverflowEvents times the kernel flagged completions backed up in its overflow list
 * @param cqDropped completions the kernel had to drop outright
 * @param sqFull prepare calls refused because the submission queue was full
 * @param sqDropped entries the kernel dropped as invalid
 * @param enterBusy enters that returned EAGAIN or EBUSY
 * @param enterInterrupted enters interrupted by a signal
 * @param sqpollWakeups wake-ups of an idle SQPOLL thread
 */
public record RingStats(
    int sqEntries,
    int cqEntries,
    long inFlight,
    long enters,
    long cqesReaped,
    long cqOverflowEvents,
    long cqDropped,
    long sqFull,
    long sqDropped,
    long enterBusy,
    long enterInterrupted,
    long sqpollWakeups) {}
