package dev.ringway.server.jmx;

import dev.ringway.loop.PathName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code type=History}, read from the {@link SnapshotHistory}. */
final class HistoryBean implements HistoryMXBean {
  /** A bound on one answer, so that one call cannot make the server build a huge reply. */
  static final int MAX_POINTS = 100_000;

  private final SnapshotHistory history;
  private final Duration interval;

  HistoryBean(SnapshotHistory history, Duration interval) {
    this.history = history;
    this.interval = interval;
  }

  @Override
  public long getOldest() {
    return history.oldestEpochMillis();
  }

  @Override
  public long getNewest() {
    return history.newestEpochMillis();
  }

  @Override
  public int getCapacity() {
    return history.capacity();
  }

  @Override
  public int getSize() {
    return history.size();
  }

  @Override
  public long getIntervalMillis() {
    return interval.toMillis();
  }

  @Override
  public long getMemoryBytes() {
    return SnapshotHistory.bytesFor(history.capacity());
  }

  @Override
  public Sample[] range(long fromEpochMillis, long toEpochMillis, int maxPoints) {
    if (maxPoints < 1 || maxPoints > MAX_POINTS) {
      throw new IllegalArgumentException(
          "maxPoints must be between 1 and " + MAX_POINTS + ", not " + maxPoints);
    }
    return history.range(fromEpochMillis, toEpochMillis, maxPoints).stream()
        .map(HistoryBean::sample)
        .toArray(Sample[]::new);
  }

  static Sample sample(long[] s) {
    List<PathSample> paths = new ArrayList<>();
    for (PathName path : PathName.values()) {
      int base = SnapshotHistory.RING_FIELDS + path.ordinal() * SnapshotHistory.PATH_FIELDS;
      long slotsInFlight = s[base + SnapshotHistory.SLOTS_IN_FLIGHT];
      paths.add(
          new PathSample(
              path.key(),
              (int) (slotsInFlight >>> 32),
              (int) slotsInFlight,
              s[base + SnapshotHistory.BYTES],
              s[base + SnapshotHistory.PACKETS],
              s[base + SnapshotHistory.EAGAIN],
              s[base + SnapshotHistory.SLOT_EXHAUSTED],
              s[base + SnapshotHistory.ERRORS]));
    }
    return new Sample(
        s[SnapshotHistory.EPOCH],
        s[SnapshotHistory.MONOTONIC],
        s[SnapshotHistory.ENTERS],
        s[SnapshotHistory.CQES],
        s[SnapshotHistory.CQ_OVERFLOWS],
        s[SnapshotHistory.SQ_FULL],
        s[SnapshotHistory.MAX_ITERATION],
        paths);
  }
}
