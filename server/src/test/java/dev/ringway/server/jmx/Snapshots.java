package dev.ringway.server.jmx;

import dev.ringway.loop.LoopSnapshot;
import dev.ringway.loop.PathName;
import dev.ringway.loop.PathStats;
import dev.ringway.loop.RingFigures;
import java.util.ArrayList;
import java.util.List;

/** Loop snapshots made up for tests: every path with the same given counters. */
final class Snapshots {
  private Snapshots() {}

  static LoopSnapshot at(long monotonicNanos, long bytes, long packets, long eagain) {
    List<PathStats> paths = new ArrayList<>();
    for (PathName path : PathName.values()) {
      paths.add(new PathStats(path, 64, 3, 9, 100, 97, bytes, packets, eagain, 0, 0, 0));
    }
    return new LoopSnapshot(
        monotonicNanos,
        1_700_000_000_000L + monotonicNanos / 1_000_000L,
        new RingFigures(1024, 2048, 0, 0, 10, 20, 0, 0, 5000),
        paths);
  }
}
