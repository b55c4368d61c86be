package dev.ringway.server.jmx;

import dev.ringway.loop.LoopSnapshot;
import dev.ringway.loop.PathName;
import dev.ringway.loop.PathStats;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.ToLongFunction;

/**
 * The loop's recent snapshots, enough to compute rates over about the last second whatever the
 * stats interval: a rate divides the growth of a counter between the newest snapshot and the newest
 * one at least a second older (or the oldest kept) by the time between them.
 */
final class SnapshotWindow {
  private static final long WINDOW_NANOS = 1_000_000_000L;

  private final Deque<LoopSnapshot> recent = new ArrayDeque<>();
  private volatile Pair pair;

  /** The newest snapshot and the one a rate compares it with. */
  private record Pair(LoopSnapshot older, LoopSnapshot newest) {}

  SnapshotWindow(LoopSnapshot first) {
    recent.add(first);
    pair = new Pair(first, first);
  }

  /** Records a snapshot; called on the loop for every stats tick. */
  synchronized void add(LoopSnapshot snapshot) {
    recent.addLast(snapshot);
    // Keep the newest snapshot that is at least a window old, and everything after it.
    while (recent.size() > 2) {
      LoopSnapshot second = secondOldest();
      if (snapshot.monotonicNanos() - second.monotonicNanos() >= WINDOW_NANOS) {
        recent.removeFirst();
      } else {
        break;
      }
    }
    pair = new Pair(recent.peekFirst(), snapshot);
  }

  private LoopSnapshot secondOldest() {
    var it = recent.iterator();
    it.next();
    return it.next();
  }

  /** The newest snapshot. */
  LoopSnapshot newest() {
    return pair.newest();
  }

  /** Growth per second of {@code counter} on {@code path}; 0 before there are two snapshots. */
  double rate(PathName path, ToLongFunction<PathStats> counter) {
    Pair current = pair;
    long nanos = current.newest().monotonicNanos() - current.older().monotonicNanos();
    if (nanos <= 0) {
      return 0;
    }
    long growth =
        counter.applyAsLong(current.newest().path(path))
            - counter.applyAsLong(current.older().path(path));
    return growth * 1e9 / nanos;
  }
}
