package dev.ringway.server.jmx;

/** {@code dev.ringway:type=Server}: what runs, since when, and one consistent statistics sample. */
public interface ServerMXBean {
  String getVersion();

  String getEngine();

  String getKernelRelease();

  String[] getRingFeatures();

  long getStartTime();

  long getUptime();

  String getState();

  /**
   * The server timestamp, the ring's figures and every path's counters from the same stats tick, so
   * that rates computed from two of them are consistent.
   */
  Snapshot getSnapshot();

  /** Re-reads the configuration file and applies its live part; see {@link TunablesMXBean}. */
  String reload();
}
