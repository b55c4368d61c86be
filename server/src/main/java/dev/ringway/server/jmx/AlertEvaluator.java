package dev.ringway.server.jmx;

import dev.ringway.config.Config;
import dev.ringway.loop.PathName;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the alert rules at every stats tick, on a thread of its own: the loop only wakes it
 * ({@link LockSupport#unpark}, which allocates nothing) and it reads the tick back from the {@link
 * SnapshotHistory}. Rates compare the newest tick with the newest one at least a second older, as
 * the Path beans' rates do. A rule is raised once its condition has held for its duration, measured
 * on the ticks' monotonic clock, and cleared at the first tick where it no longer holds.
 */
final class AlertEvaluator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertEvaluator.class);
  private static final long RATE_WINDOW_NANOS = 1_000_000_000L;

  private final AlertsBean bean;
  private final CpuTimes cpu;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final long[] now = new long[SnapshotHistory.FIELDS];
  private final long[] then = new long[SnapshotHistory.FIELDS];
  private List<RuleState> rules = List.of();
  private SnapshotHistory history;
  private Thread thread;
  private volatile boolean running = true;
  private long evaluated = -1;

  AlertEvaluator(AlertsBean bean, CpuTimes cpu, List<Config.AlertRule> rules) {
    this.bean = bean;
    this.cpu = cpu;
    replace(rules);
  }

  /** Starts checking the ticks {@code history} records; its onAdd must call {@link #signal}. */
  void watch(SnapshotHistory history) {
    useHistory(history);
    thread = Thread.ofPlatform().daemon().name("ringway-alerts").start(this::run);
  }

  /** Reads ticks from {@code history} when {@link #evaluate} is called, without a thread. */
  synchronized void useHistory(SnapshotHistory history) {
    this.history = history;
  }

  /** Wakes the evaluator; called on the loop thread after each tick is recorded. */
  void signal() {
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /**
   * Puts {@code rules} in force (a reload): a rule that is unchanged keeps its state; an active
   * rule that was removed or changed is cleared.
   */
  synchronized void replace(List<Config.AlertRule> replacement) {
    List<Config.AlertRule> wanted = replacement == null ? List.of() : replacement;
    List<RuleState> next = new ArrayList<>();
    for (Config.AlertRule rule : wanted) {
      RuleState kept = null;
      for (RuleState state : rules) {
        if (state.rule.equals(rule)) {
          kept = state;
        }
      }
      next.add(kept != null ? kept : new RuleState(rule, Figure.of(rule.figure())));
    }
    for (RuleState old : rules) {
      if (old.active && !next.contains(old)) {
        bean.clear(
            old.rule.name(),
            old.rule.figure(),
            old.rule.condition(),
            Double.NaN,
            System.currentTimeMillis());
      }
    }
    rules = List.copyOf(next);
    bean.rules(rules.stream().map(s -> s.rule.toString()).toList());
  }

  private synchronized SnapshotHistory history() {
    return history;
  }

  private void run() {
    while (running) {
      LockSupport.park(this);
      try {
        long newest = history().newestSequence();
        if (newest != evaluated && newest >= 0) {
          evaluated = newest;
          evaluate(newest);
        }
      } catch (RuntimeException e) {
        // One bad tick must not end alerting for the life of the server.
        log.warn("checking the alert rules failed: {}", e.toString(), e);
      }
    }
  }

  /** Checks every rule against tick {@code sequence}. */
  synchronized void evaluate(long sequence) {
    if (rules.isEmpty() || !history.copy(sequence, now)) {
      return;
    }
    boolean older = false;
    for (long s = sequence - 1; s >= 0 && history.copy(s, then); s--) {
      older = true;
      if (now[SnapshotHistory.MONOTONIC] - then[SnapshotHistory.MONOTONIC] >= RATE_WINDOW_NANOS) {
        break;
      }
    }
    double seconds =
        older
            ? (now[SnapshotHistory.MONOTONIC] - then[SnapshotHistory.MONOTONIC]) / 1e9
            : Double.NaN;
    for (RuleState state : rules) {
      double value = state.figure.value(now, then, seconds, memory, cpu);
      if (Double.isNaN(value)) {
        continue;
      }
      Config.AlertRule rule = state.rule;
      boolean holds = rule.above() != null ? value > rule.above() : value < rule.below();
      long tick = now[SnapshotHistory.MONOTONIC];
      long epoch = now[SnapshotHistory.EPOCH];
      if (holds) {
        if (state.since == Long.MIN_VALUE) {
          state.since = tick;
        }
        if (!state.active && tick - state.since >= rule.duration().toNanos()) {
          state.active = true;
          bean.raise(rule.name(), rule.figure(), rule.condition(), value, epoch);
        }
      } else {
        state.since = Long.MIN_VALUE;
        if (state.active) {
          state.active = false;
          bean.clear(rule.name(), rule.figure(), rule.condition(), value, epoch);
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A rule and whether, and since which tick, its condition holds. */
  private static final class RuleState {
    final Config.AlertRule rule;
    final Figure figure;
    long since = Long.MIN_VALUE;
    boolean active;

    RuleState(Config.AlertRule rule, Figure figure) {
      this.rule = rule;
      this.figure = figure;
    }
  }

  /** How a figure of {@link Config.AlertRule#FIGURES} is read from a tick. */
  sealed interface Figure {
    /** The figure at {@code now}; NaN when it cannot be known yet (a rate from one tick). */
    double value(long[] now, long[] then, double seconds, MemoryMXBean memory, CpuTimes cpu);

    /** Growth per second of the counter at {@code index}. */
    record Rate(int index) implements Figure {
      @Override
      public double value(
          long[] now, long[] then, double seconds, MemoryMXBean memory, CpuTimes cpu) {
        return Double.isNaN(seconds) ? Double.NaN : (now[index] - then[index]) / seconds;
      }
    }

    /** The value at the tick; the in-flight count is the low half of its packed field. */
    record Gauge(int index, boolean lowHalf) implements Figure {
      @Override
      public double value(
          long[] now, long[] then, double seconds, MemoryMXBean memory, CpuTimes cpu) {
        return lowHalf ? (int) now[index] : now[index];
      }
    }

    /** Heap in use now. */
    record Heap() implements Figure {
      @Override
      public double value(
          long[] now, long[] then, double seconds, MemoryMXBean memory, CpuTimes cpu) {
        return memory.getHeapMemoryUsage().getUsed();
      }
    }

    /** The process's recent CPU load, 0 to 1 of all CPUs; NaN while the JVM cannot tell. */
    record ProcessCpu() implements Figure {
      @Override
      public double value(
          long[] now, long[] then, double seconds, MemoryMXBean memory, CpuTimes cpu) {
        double load = cpu.processCpuLoad();
        return load < 0 ? Double.NaN : load;
      }
    }

    /** The reader of {@code figure}, one of {@link Config.AlertRule#FIGURES}. */
    static Figure of(String figure) {
      switch (figure) {
        case "ring.cqOverflowsPerSecond" -> {
          return new Rate(SnapshotHistory.CQ_OVERFLOWS);
        }
        case "ring.sqFullPerSecond" -> {
          return new Rate(SnapshotHistory.SQ_FULL);
        }
        case "ring.maxLoopIterationNanos" -> {
          return new Gauge(SnapshotHistory.MAX_ITERATION, false);
        }
        case "jvm.heapUsedBytes" -> {
          return new Heap();
        }
        case "process.cpuLoad" -> {
          return new ProcessCpu();
        }
        default -> {}
      }
      if (figure.startsWith("path.")) {
        int dot = figure.lastIndexOf('.');
        String key = figure.substring("path.".length(), dot);
        for (PathName path : PathName.values()) {
          if (path.key().equals(key)) {
            int base = SnapshotHistory.RING_FIELDS + path.ordinal() * SnapshotHistory.PATH_FIELDS;
            switch (figure.substring(dot + 1)) {
              case "eagainPerSecond" -> {
                return new Rate(base + SnapshotHistory.EAGAIN);
              }
              case "slotExhaustedPerSecond" -> {
                return new Rate(base + SnapshotHistory.SLOT_EXHAUSTED);
              }
              case "errorsPerSecond" -> {
                return new Rate(base + SnapshotHistory.ERRORS);
              }
              case "packetsPerSecond" -> {
                return new Rate(base + SnapshotHistory.PACKETS);
              }
              case "bytesPerSecond" -> {
                return new Rate(base + SnapshotHistory.BYTES);
              }
              case "inFlight" -> {
                return new Gauge(base + SnapshotHistory.SLOTS_IN_FLIGHT, true);
              }
              default -> {}
            }
          }
        }
      }
      throw new IllegalArgumentException("unknown figure " + figure);
    }
  }
}
