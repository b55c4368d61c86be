package dev.ringway.console.link;

import java.util.Locale;
import javax.management.openmbean.CompositeData;

/**
 * One I/O path's counters in one snapshot (cumulative since the server started), as the {@code
 * paths} items of {@code Server.Snapshot} carry them.
 *
 * @param path the path's name as in ObjectNames, e.g. {@code tun.rx}
 */
public record PathSample(
    String path,
    int slots,
    int inFlight,
    long bytes,
    long packets,
    long eagain,
    long errors,
    long slotExhausted) {

  /** Reads one item of the snapshot's {@code paths} array. */
  static PathSample of(CompositeData item) {
    return new PathSample(
        keyOf(String.valueOf(item.get("path"))),
        ((Number) item.get("slots")).intValue(),
        ((Number) item.get("inFlight")).intValue(),
        ((Number) item.get("bytes")).longValue(),
        ((Number) item.get("packets")).longValue(),
        ((Number) item.get("eagain")).longValue(),
        ((Number) item.get("errors")).longValue(),
        ((Number) item.get("slotExhausted")).longValue());
  }

  /**
   * The MXBean mapping carries the path as its enum constant ({@code TUN_RX}); the console names
   * paths the way ObjectNames do ({@code tun.rx}).
   */
  static String keyOf(String constant) {
    return constant.toLowerCase(Locale.ROOT).replace('_', '.');
  }
}
