package dev.ringway.server.jmx;

import dev.ringway.loop.Loop;
import dev.ringway.loop.RingFigures;

/** {@code type=Ring}, read from the latest snapshot and, for CPU, from the OS. */
final class RingBean implements RingMXBean {
  private final SnapshotWindow window;
  private final Loop loop;
  private final CpuTimes cpu;

  RingBean(SnapshotWindow window, Loop loop, CpuTimes cpu) {
    this.window = window;
    this.loop = loop;
    this.cpu = cpu;
  }

  private RingFigures ring() {
    return window.newest().ring();
  }

  @Override
  public int getEntries() {
    return ring().entries();
  }

  @Override
  public int getCqEntries() {
    return ring().cqEntries();
  }

  @Override
  public int getSqpollIdleMillis() {
    return ring().sqpollIdleMillis();
  }

  @Override
  public long getGeneration() {
    return ring().generation();
  }

  @Override
  public long getEnters() {
    return ring().enters();
  }

  @Override
  public double getCqesPerEnter() {
    return ring().cqesPerEnter();
  }

  @Override
  public long getCqOverflows() {
    return ring().cqOverflows();
  }

  @Override
  public long getSqFull() {
    return ring().sqFull();
  }

  @Override
  public long getMaxLoopIterationNanos() {
    return ring().maxLoopIterationNanos();
  }

  @Override
  public long getLoopThreadCpuNanos() {
    return cpu.threadCpuNanos(loop.thread());
  }

  @Override
  public long getSqpollThreadCpuNanos() {
    return cpu.sqpollCpuNanos();
  }

  @Override
  public double getProcessCpuLoad() {
    return cpu.processCpuLoad();
  }
}
