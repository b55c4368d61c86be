package dev.ringway.loop;

/**
 * One path's counters at one stats tick. Counters are cumulative since the server started; rates
 * come from the difference of two snapshots.
 *
 * @param slots operations this path may keep in flight (its configured slot count)
 * @param inFlight operations submitted to the kernel and not yet completed
 * @param maxInFlight the most operations in flight at once since start
 * @param submitted operations handed to the ring
 * @param completed completions reaped (including errors and cancellations)
 * @param bytes payload bytes moved by successful completions
 * @param packets successful completions that carried a packet, datagram or segment
 * @param eagain completions with {@code -EAGAIN} (a waiting non-blocking read lost the race)
 * @param canceled completions with {@code -ECANCELED}
 * @param errors other failed completions and dropped malformed input
 * @param slotExhausted times an operation could not start because every slot was busy
 */
public record PathStats(
    PathName path,
    int slots,
    int inFlight,
    int maxInFlight,
    long submitted,
    long completed,
    long bytes,
    long packets,
    long eagain,
    long canceled,
    long errors,
    long slotExhausted) {}
