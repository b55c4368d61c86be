package dev.ringway.console.link;

import java.util.ArrayList;
import java.util.List;
import javax.management.openmbean.CompositeData;

/**
 * One poll of the server: the {@code Snapshot} from one stats tick, and the CPU figures and
 * connection count read beside it. Every time in here is the server's, never the console's.
 *
 * @param startTime the server's start time (epoch ms); a new value means the server restarted
 * @param monotonicNanos the server's {@code System.nanoTime()} at the stats tick
 * @param epochMillis the server's wall clock at the stats tick: the charts' time axis
 * @param uptimeMillis the server's uptime when the CPU figures were read
 * @param generation how many times the ring was replaced since start
 * @param ringEntries submission queue entries
 * @param enters {@code io_uring_enter} calls since start
 * @param cqes completions reaped since start
 * @param loopThreadCpuNanos CPU time of the loop thread, or -1 when unknown
 * @param sqpollThreadCpuNanos CPU time of the SQPOLL kernel thread (0 without SQPOLL), or -1
 * @param processCpuLoad the process's CPU load, 0..1 of all CPUs, negative when unknown
 * @param connections connections in any state, or -1 when unknown (a sample from the history)
 * @param paths every path's counters, in the server's order
 */
public record Sample(
    long startTime,
    long monotonicNanos,
    long epochMillis,
    long uptimeMillis,
    long generation,
    int ringEntries,
    long enters,
    long cqes,
    long loopThreadCpuNanos,
    long sqpollThreadCpuNanos,
    double processCpuLoad,
    int connections,
    List<PathSample> paths) {

  public Sample {
    paths = List.copyOf(paths);
  }

  /** Reads a {@code Server.Snapshot} composite and the figures read beside it. */
  static Sample of(
      long startTime,
      CompositeData snapshot,
      long uptimeMillis,
      long loopThreadCpuNanos,
      long sqpollThreadCpuNanos,
      double processCpuLoad,
      int connections) {
    CompositeData ring = (CompositeData) snapshot.get("ring");
    List<PathSample> paths = new ArrayList<>();
    for (CompositeData path : (CompositeData[]) snapshot.get("paths")) {
      paths.add(PathSample.of(path));
    }
    return new Sample(
        startTime,
        (Long) snapshot.get("monotonicNanos"),
        (Long) snapshot.get("epochMillis"),
        uptimeMillis,
        ((Number) ring.get("generation")).longValue(),
        ((Number) ring.get("entries")).intValue(),
        ((Number) ring.get("enters")).longValue(),
        ((Number) ring.get("cqes")).longValue(),
        loopThreadCpuNanos,
        sqpollThreadCpuNanos,
        processCpuLoad,
        connections,
        paths);
  }

  /**
   * Reads one sample of {@code History.range}. The history keeps the stats tick's counters but not
   * the figures the link reads beside the snapshot (CPU, connections), so those read as unknown.
   */
  static Sample ofHistory(long startTime, CompositeData item) {
    List<PathSample> paths = new ArrayList<>();
    for (CompositeData path : (CompositeData[]) item.get("paths")) {
      paths.add(PathSample.of(path));
    }
    return new Sample(
        startTime,
        (Long) item.get("monotonicNanos"),
        (Long) item.get("epochMillis"),
        0,
        0,
        0,
        (Long) item.get("enters"),
        (Long) item.get("cqes"),
        -1,
        -1,
        -1,
        -1,
        paths);
  }

  /**
   * The counters of {@code path} (e.g. {@code tun.rx}), or null when the server has no such path.
   */
  public PathSample path(String path) {
    for (PathSample sample : paths) {
      if (sample.path().equals(path)) {
        return sample;
      }
    }
    return null;
  }
}
