package dev.ringway.server.jmx;

/**
 * {@code dev.ringway:type=Ring}: the ring's size and counters from the latest stats tick, and what
 * the loop costs in CPU — including the SQPOLL kernel thread, which no JVM figure shows.
 */
public interface RingMXBean {
  int getEntries();

  int getCqEntries();

  int getSqpollIdleMillis();

  long getGeneration();

  long getEnters();

  double getCqesPerEnter();

  long getCqOverflows();

  long getSqFull();

  long getMaxLoopIterationNanos();

  long getLoopThreadCpuNanos();

  long getSqpollThreadCpuNanos();

  double getProcessCpuLoad();
}
