package dev.ringway.loop;

import dev.ringway.uring.Errno;

/**
 * The live counters of one path. Only the loop thread touches an instance, so plain fields suffice;
 * other threads see the values through {@link #snapshot()} taken on the loop and published.
 */
public final class PathCounters {
  private final PathName path;
  private int slots;
  private int inFlight;
  private int maxInFlight;
  private long submitted;
  private long completed;
  private long bytes;
  private long packets;
  private long eagain;
  private long canceled;
  private long errors;
  private long slotExhausted;

  public PathCounters(PathName path) {
    this.path = path;
  }

  public PathName path() {
    return path;
  }

  public void slots(int slots) {
    this.slots = slots;
  }

  public int slots() {
    return slots;
  }

  public int inFlight() {
    return inFlight;
  }

  /** An operation was handed to the ring. */
  public void submitted() {
    submitted++;
    if (++inFlight > maxInFlight) {
      maxInFlight = inFlight;
    }
  }

  /** An operation completed with {@code res} (bytes moved, or a negative errno). */
  public void completed(int res) {
    completed++;
    inFlight--;
    if (res >= 0) {
      packets++;
      bytes += res;
    } else if (res == -Errno.EAGAIN) {
      eagain++;
    } else if (res == -Errno.ECANCELED) {
      canceled++;
    } else {
      errors++;
    }
  }

  /**
   * A synchronous operation (the nio engine's reads and sends) finished with {@code res} as it was
   * made: counted as submitted and completed at once, never in flight.
   */
  public void completedAtOnce(int res) {
    submitted++;
    inFlight++;
    completed(res);
  }

  /** Input that arrived fine but was malformed and dropped. */
  public void error() {
    errors++;
  }

  /** An operation could not start because all slots were busy. */
  public void slotExhausted() {
    slotExhausted++;
  }

  public PathStats snapshot() {
    return new PathStats(
        path,
        slots,
        inFlight,
        maxInFlight,
        submitted,
        completed,
        bytes,
        packets,
        eagain,
        canceled,
        errors,
        slotExhausted);
  }
}
