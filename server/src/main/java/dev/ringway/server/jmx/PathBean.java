package dev.ringway.server.jmx;

import dev.ringway.loop.PathName;
import dev.ringway.loop.PathStats;

/** {@code type=Path,name=P}: one path's counters from the latest snapshot and its rates. */
final class PathBean implements PathMXBean {
  private final SnapshotWindow window;
  private final PathName path;

  PathBean(SnapshotWindow window, PathName path) {
    this.window = window;
    this.path = path;
  }

  private PathStats stats() {
    return window.newest().path(path);
  }

  @Override
  public int getSlots() {
    return stats().slots();
  }

  @Override
  public int getInFlight() {
    return stats().inFlight();
  }

  @Override
  public int getMaxInFlight() {
    return stats().maxInFlight();
  }

  @Override
  public long getSubmitted() {
    return stats().submitted();
  }

  @Override
  public long getCompleted() {
    return stats().completed();
  }

  @Override
  public long getBytes() {
    return stats().bytes();
  }

  @Override
  public long getPackets() {
    return stats().packets();
  }

  @Override
  public long getEagain() {
    return stats().eagain();
  }

  @Override
  public long getCanceled() {
    return stats().canceled();
  }

  @Override
  public long getErrors() {
    return stats().errors();
  }

  @Override
  public long getSlotExhausted() {
    return stats().slotExhausted();
  }

  @Override
  public double getBytesPerSecond() {
    return window.rate(path, PathStats::bytes);
  }

  @Override
  public double getPacketsPerSecond() {
    return window.rate(path, PathStats::packets);
  }

  @Override
  public double getEagainPerSecond() {
    return window.rate(path, PathStats::eagain);
  }
}
