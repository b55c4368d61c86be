package dev.ringway.core.dtls;

import java.lang.management.ManagementFactory;

/** Bytes this thread allocated, from HotSpot's per-thread counter. */
final class Allocation {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Allocation() {}

  static long now() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }

  /** Average bytes allocated per run of {@code r} over {@code n} runs, after as many warm-ups. */
  static double perRun(int n, Runnable r) {
    for (int i = 0; i < n; i++) {
      r.run();
    }
    long before = now();
    for (int i = 0; i < n; i++) {
      r.run();
    }
    return (double) (now() - before) / n;
  }
}
