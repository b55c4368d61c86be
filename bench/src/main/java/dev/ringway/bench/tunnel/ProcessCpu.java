package dev.ringway.bench.tunnel;

import dev.ringway.testkit.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a whole process (every thread: the {@code utime} and {@code stime} fields of {@code
 * /proc/<pid>/stat} count the thread group) in seconds.
 */
final class ProcessCpu {
  private static final double TICKS_PER_SECOND = clockTicks();

  private ProcessCpu() {}

  /** User plus system CPU seconds {@code pid} has used so far. */
  static double seconds(long pid) {
    return userSeconds(pid) + systemSeconds(pid);
  }

  /** CPU seconds {@code pid} has spent in user mode (its own code) so far. */
  static double userSeconds(long pid) {
    return field(pid, 11);
  }

  /** CPU seconds {@code pid} has spent in the kernel on its behalf (system calls) so far. */
  static double systemSeconds(long pid) {
    return field(pid, 12);
  }

  private static double field(long pid, int index) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    } catch (IOException e) {
      throw new IllegalStateException("process " + pid + " is gone: " + e.getMessage(), e);
    }
    // The command name (field 2) may hold spaces and parentheses; the fields after its closing
    // parenthesis start with field 3, the state, so utime (14) and stime (15) are the 12th and
    // 13th.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[index]) / TICKS_PER_SECOND;
  }

  private static double clockTicks() {
    Commands.Result result = Commands.run("getconf", "CLK_TCK");
    try {
      return result.exitCode() == 0 ? Double.parseDouble(result.output().strip()) : 100;
    } catch (NumberFormatException e) {
      return 100;
    }
  }
}
