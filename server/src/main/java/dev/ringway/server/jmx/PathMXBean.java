package dev.ringway.server.jmx;

/**
 * {@code dev.ringway:type=Path,name=P}: one I/O path's counters from the latest stats tick, and
 * rates over about the last second.
 */
public interface PathMXBean {
  int getSlots();

  int getInFlight();

  int getMaxInFlight();

  long getSubmitted();

  long getCompleted();

  long getBytes();

  long getPackets();

  long getEagain();

  long getCanceled();

  long getErrors();

  long getSlotExhausted();

  double getBytesPerSecond();

  double getPacketsPerSecond();

  double getEagainPerSecond();
}
