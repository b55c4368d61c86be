package dev.ringway.loop;

import java.util.List;

/**
 * Everything the loop counts, taken at one stats tick on the loop thread, so that the ring's
 * figures and every path's counters are consistent with each other.
 *
 * @param monotonicNanos {@link System#nanoTime()} when taken; rates divide by differences of it
 * @param epochMillis the wall-clock time when taken
 * @param ring the ring's figures
 * @param paths one entry per path, in {@link PathName} order
 */
public record LoopSnapshot(
    long monotonicNanos, long epochMillis, RingFigures ring, List<PathStats> paths) {

  public LoopSnapshot {
    paths = List.copyOf(paths);
  }

  /** The counters of {@code path}. */
  public PathStats path(PathName path) {
    return paths.get(path.ordinal());
  }
}
