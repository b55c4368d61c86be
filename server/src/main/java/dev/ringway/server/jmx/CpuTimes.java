package dev.ringway.server.jmx;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the loop costs in CPU: the process's load, the loop thread's CPU time, and the CPU time of
 * the SQPOLL kernel thread ({@code iou-sqp-PID}), which polls the submission queue on the loop's
 * behalf and shows up in no JVM figure — the hidden cost of SQPOLL.
 */
final class CpuTimes {
  private static final Path TASKS = Path.of("/proc/self/task");

  /**
   * Clock ticks per second of {@code /proc} times ({@code USER_HZ}). The kernel exports it fixed at
   * 100 on every architecture Ringway runs on, whatever its internal HZ.
   */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private static final int UTIME_AFTER_COMM = 11;
  private static final int STIME_AFTER_COMM = 12;

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** Recent CPU load of the whole process, 0 to 1 across all CPUs; negative when unknown. */
  double processCpuLoad() {
    return os.getProcessCpuLoad();
  }

  /** CPU time of {@code thread} in nanoseconds, or -1 when it is not running or unmeasurable. */
  long threadCpuNanos(Thread thread) {
    return thread == null ? -1 : threads.getThreadCpuTime(thread.threadId());
  }

  /**
   * CPU time of the process's SQPOLL threads in nanoseconds (user + system); 0 when SQPOLL is off.
   * A SQPOLL thread belongs to its ring, so after a migration the count starts again from the new
   * ring's thread.
   */
  long sqpollCpuNanos() {
    long ticks = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        try {
          if (Files.readString(task.resolve("comm")).startsWith("iou-sqp-")) {
            ticks += ticksOf(Files.readString(task.resolve("stat")));
          }
        } catch (IOException | RuntimeException gone) {
          // The task ended between listing and reading (a retired ring's thread): nothing to add.
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return ticks * NANOS_PER_TICK;
  }

  /** utime + stime from a {@code /proc/PID/task/TID/stat} line. */
  static long ticksOf(String stat) {
    // The command name may contain spaces and parentheses; the fields start after the last ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return Long.parseLong(fields[UTIME_AFTER_COMM]) + Long.parseLong(fields[STIME_AFTER_COMM]);
  }
}
