package dev.ringway.server.jmx;

import dev.ringway.loop.LoopSnapshot;
import dev.ringway.loop.PathStats;
import dev.ringway.loop.RingFigures;
import java.util.List;

/**
 * {@code Server.Snapshot}: one stats tick as one CompositeData — the server's clocks, the ring's
 * figures and every path's counters, all taken together on the loop, so that rates computed from
 * two snapshots are consistent. Paths are named as in their ObjectNames ({@code udp.rx}).
 *
 * @param epochMillis the server's wall-clock time at the tick
 * @param monotonicNanos the server's monotonic clock at the tick; divide counter growth by its
 *     growth for rates
 * @param ring the ring's figures
 * @param paths every path, in the order tun.rx, tun.tx, udp.rx, udp.tx, tcp.accept, tcp.rx, tcp.tx
 */
public record Snapshot(long epochMillis, long monotonicNanos, RingFigures ring, List<Path> paths) {

  /** One path's counters at the tick; see {@link PathStats} for each field. */
  public record Path(
      String path,
      int slots,
      int inFlight,
      int maxInFlight,
      long submitted,
      long completed,
      long bytes,
      long packets,
      long eagain,
      long canceled,
      long errors,
      long slotExhausted) {

    static Path of(PathStats stats) {
      return new Path(
          stats.path().key(),
          stats.slots(),
          stats.inFlight(),
          stats.maxInFlight(),
          stats.submitted(),
          stats.completed(),
          stats.bytes(),
          stats.packets(),
          stats.eagain(),
          stats.canceled(),
          stats.errors(),
          stats.slotExhausted());
    }
  }

  static Snapshot of(LoopSnapshot snapshot) {
    return new Snapshot(
        snapshot.epochMillis(),
        snapshot.monotonicNanos(),
        snapshot.ring(),
        snapshot.paths().stream().map(Path::of).toList());
  }
}
