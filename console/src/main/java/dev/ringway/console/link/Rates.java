package dev.ringway.console.link;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What happened between two samples, per second of the server's clock: the figures the dashboard
 * charts. A figure the server could not measure is {@link Double#NaN}, which the charts leave as a
 * gap rather than draw as zero.
 *
 * @param epochMillis the newer sample's server time, where the point goes on the time axis
 * @param processCpuPercent the process's CPU load, percent of all CPUs
 * @param loopCpuPercent the loop thread's CPU use, percent of one core
 * @param sqpollCpuPercent the SQPOLL kernel thread's CPU use, percent of one core
 * @param cqesPerEnter completions reaped per {@code io_uring_enter} in the interval
 * @param connections connections at the newer sample
 * @param paths one entry per path, in the server's order
 */
public record Rates(
    long epochMillis,
    double processCpuPercent,
    double loopCpuPercent,
    double sqpollCpuPercent,
    double cqesPerEnter,
    int connections,
    List<PathRates> paths) {

  public Rates {
    paths = List.copyOf(paths);
  }

  /**
   * One path between two samples.
   *
   * @param megabitsPerSecond payload throughput
   * @param inFlight operations in the kernel at the newer sample
   * @param slots the path's configured slots at the newer sample
   */
  public record PathRates(
      String path,
      double megabitsPerSecond,
      double packetsPerSecond,
      double eagainPerSecond,
      int inFlight,
      int slots) {}

  /**
   * The rates from {@code older} to {@code newer}, or empty when they cannot be compared: the same
   * stats tick seen twice, or samples from two runs of the server (its counters started again).
   */
  public static Optional<Rates> between(Sample older, Sample newer) {
    long nanos = newer.monotonicNanos() - older.monotonicNanos();
    if (older.startTime() != newer.startTime() || nanos <= 0) {
      return Optional.empty();
    }
    double seconds = nanos / 1e9;
    List<PathRates> paths = new ArrayList<>();
    for (PathSample now : newer.paths()) {
      PathSample before = older.path(now.path());
      if (before == null) {
        paths.add(
            new PathRates(
                now.path(), Double.NaN, Double.NaN, Double.NaN, now.inFlight(), now.slots()));
        continue;
      }
      paths.add(
          new PathRates(
              now.path(),
              perSecond(before.bytes(), now.bytes(), seconds) * 8 / 1e6,
              perSecond(before.packets(), now.packets(), seconds),
              perSecond(before.eagain(), now.eagain(), seconds),
              now.inFlight(),
              now.slots()));
    }
    long uptimeNanos = (newer.uptimeMillis() - older.uptimeMillis()) * 1_000_000L;
    return Optional.of(
        new Rates(
            newer.epochMillis(),
            newer.processCpuLoad() < 0 ? Double.NaN : newer.processCpuLoad() * 100,
            cpuPercent(older.loopThreadCpuNanos(), newer.loopThreadCpuNanos(), uptimeNanos),
            cpuPercent(older.sqpollThreadCpuNanos(), newer.sqpollThreadCpuNanos(), uptimeNanos),
            ratio(newer.cqes() - older.cqes(), newer.enters() - older.enters()),
            newer.connections(),
            paths));
  }

  /** Growth per second; NaN when the counter went backwards (it cannot within one run). */
  private static double perSecond(long before, long now, double seconds) {
    long growth = now - before;
    return growth < 0 ? Double.NaN : growth / seconds;
  }

  /**
   * CPU time grown over wall time grown, both by the server's clocks. The CPU figures are read at
   * the poll, not at the stats tick, so they are paired with the uptime read in the same poll.
   */
  private static double cpuPercent(long before, long now, long wallNanos) {
    if (before < 0 || now < 0 || wallNanos <= 0 || now < before) {
      return Double.NaN;
    }
    return (now - before) * 100.0 / wallNanos;
  }

  private static double ratio(long cqes, long enters) {
    return enters <= 0 || cqes < 0 ? Double.NaN : (double) cqes / enters;
  }
}
