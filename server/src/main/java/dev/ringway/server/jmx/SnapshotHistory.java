package dev.ringway.server.jmx;

import dev.ringway.loop.LoopSnapshot;
import dev.ringway.loop.PathName;
import dev.ringway.loop.PathStats;
import dev.ringway.loop.RingFigures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's stats ticks for the last {@code history.retention}, in one preallocated {@code
 * long[]} ring: {@link #add} runs on the loop thread at every tick and only copies longs, so
 * keeping a day of history costs the loop no allocation. Samples are addressed by their sequence
 * number since start (sample {@code s} lives at slot {@code s % capacity}), so a reader that copies
 * in chunks notices the samples the writer overwrote meanwhile and skips them.
 *
 * <p>Per sample: wall clock and monotonic clock, the ring's enters, completions, CQ overflows, SQ
 * full and longest iteration, and per path its slots and in-flight count (packed in one long),
 * bytes, packets, EAGAIN, slot exhaustion and errors: {@value #FIELDS} longs.
 */
final class SnapshotHistory {
  static final int PATH_FIELDS = 6;
  static final int RING_FIELDS = 7;
  static final int FIELDS = RING_FIELDS + PATH_FIELDS * 7;

  static final int EPOCH = 0;
  static final int MONOTONIC = 1;
  static final int ENTERS = 2;
  static final int CQES = 3;
  static final int CQ_OVERFLOWS = 4;
  static final int SQ_FULL = 5;
  static final int MAX_ITERATION = 6;
  static final int SLOTS_IN_FLIGHT = 0;
  static final int BYTES = 1;
  static final int PACKETS = 2;
  static final int EAGAIN = 3;
  static final int SLOT_EXHAUSTED = 4;
  static final int ERRORS = 5;

  /** Samples copied per hold of the lock, so that a large range never stalls the loop's add. */
  private static final int CHUNK = 256;

  private final int capacity;
  private final long[] data;
  private final Runnable onAdd;
  private long written;

  /**
   * @param onAdd runs on the loop thread after every {@link #add}; it must not block or allocate
   */
  SnapshotHistory(int capacity, Runnable onAdd) {
    if (capacity < 2) {
      throw new IllegalArgumentException("a history holds at least 2 samples, not " + capacity);
    }
    if (PathName.values().length * PATH_FIELDS + RING_FIELDS != FIELDS) {
      throw new IllegalStateException("SnapshotHistory.FIELDS does not match the loop's paths");
    }
    this.capacity = capacity;
    this.data = new long[Math.multiplyExact(capacity, FIELDS)];
    this.onAdd = onAdd;
  }

  /** Samples for {@code retention} at one per {@code interval}, at least 2. */
  static int capacityFor(Duration retention, Duration interval) {
    long samples = (retention.toNanos() + interval.toNanos() - 1) / interval.toNanos();
    return (int) Math.max(2, Math.min(samples, Integer.MAX_VALUE / FIELDS));
  }

  /** The heap this history holds, in bytes. */
  static long bytesFor(int capacity) {
    return (long) capacity * FIELDS * Long.BYTES;
  }

  int capacity() {
    return capacity;
  }

  /** Records a tick; called on the loop thread. */
  void add(LoopSnapshot snapshot) {
    synchronized (this) {
      int at = (int) (written % capacity) * FIELDS;
      RingFigures ring = snapshot.ring();
      data[at + EPOCH] = snapshot.epochMillis();
      data[at + MONOTONIC] = snapshot.monotonicNanos();
      data[at + ENTERS] = ring.enters();
      data[at + CQES] = ring.cqes();
      data[at + CQ_OVERFLOWS] = ring.cqOverflows();
      data[at + SQ_FULL] = ring.sqFull();
      data[at + MAX_ITERATION] = ring.maxLoopIterationNanos();
      List<PathStats> paths = snapshot.paths();
      for (int p = 0; p < paths.size(); p++) {
        PathStats path = paths.get(p);
        int base = at + RING_FIELDS + p * PATH_FIELDS;
        data[base + SLOTS_IN_FLIGHT] =
            ((long) path.slots() << 32) | (path.inFlight() & 0xffffffffL);
        data[base + BYTES] = path.bytes();
        data[base + PACKETS] = path.packets();
        data[base + EAGAIN] = path.eagain();
        data[base + SLOT_EXHAUSTED] = path.slotExhausted();
        data[base + ERRORS] = path.errors();
      }
      written++;
    }
    onAdd.run();
  }

  /** Samples held now. */
  synchronized int size() {
    return (int) Math.min(written, capacity);
  }

  /** Sequence number of the newest sample, or -1 when there is none. */
  synchronized long newestSequence() {
    return written - 1;
  }

  /**
   * Copies sample {@code sequence} into {@code into} (at least {@link #FIELDS} long); false when it
   * is not held (not yet written, or overwritten).
   */
  synchronized boolean copy(long sequence, long[] into) {
    if (sequence < 0 || sequence >= written || sequence < written - capacity) {
      return false;
    }
    System.arraycopy(data, (int) (sequence % capacity) * FIELDS, into, 0, FIELDS);
    return true;
  }

  /** The wall-clock time of the oldest sample held, or 0 when empty. */
  synchronized long oldestEpochMillis() {
    return written == 0 ? 0 : data[(int) (Math.max(0, written - capacity) % capacity) * FIELDS];
  }

  /** The wall-clock time of the newest sample, or 0 when empty. */
  synchronized long newestEpochMillis() {
    return written == 0 ? 0 : data[(int) ((written - 1) % capacity) * FIELDS];
  }

  /**
   * The samples whose wall-clock time lies in {@code [from, to]}, oldest first; when there are more
   * than {@code maxPoints}, evenly spaced ones among them, always the first and the last. Counters
   * are cumulative, so a rate between any two returned samples is exact; gauges (in flight) are the
   * values at the returned ticks.
   */
  List<long[]> range(long from, long to, int maxPoints) {
    if (maxPoints < 1) {
      throw new IllegalArgumentException("maxPoints must be at least 1, not " + maxPoints);
    }
    long first;
    long last;
    synchronized (this) {
      long oldest = Math.max(0, written - capacity);
      first = firstPast(oldest, written, from, false);
      last = firstPast(first, written, to, true) - 1;
    }
    List<long[]> out = new ArrayList<>();
    long count = last - first + 1;
    if (count <= 0) {
      return out;
    }
    int points = (int) Math.min(count, maxPoints);
    long[] wanted = new long[points];
    for (int k = 0; k < points; k++) {
      wanted[k] = points == 1 ? last : first + Math.round((double) k * (count - 1) / (points - 1));
    }
    for (int start = 0; start < points; start += CHUNK) {
      synchronized (this) {
        for (int k = start; k < Math.min(points, start + CHUNK); k++) {
          long[] sample = new long[FIELDS];
          if (copyLocked(wanted[k], sample)) {
            out.add(sample);
          }
        }
      }
    }
    return out;
  }

  private boolean copyLocked(long sequence, long[] into) {
    if (sequence < written - capacity) {
      return false;
    }
    System.arraycopy(data, (int) (sequence % capacity) * FIELDS, into, 0, FIELDS);
    return true;
  }

  /**
   * The first sequence in {@code [low, high)} whose wall-clock time is at least {@code millis}
   * (past it when {@code after}), or {@code high}; wall-clock times of one run only grow unless the
   * clock is stepped back, and a binary search over a stepped clock still returns a valid boundary.
   */
  private long firstPast(long low, long high, long millis, boolean after) {
    while (low < high) {
      long mid = (low + high) >>> 1;
      long epoch = data[(int) (mid % capacity) * FIELDS + EPOCH];
      if (epoch < millis || (after && epoch == millis)) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
