package dev.ringway.server.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.loop.PathName;
import dev.ringway.loop.PathStats;
import org.junit.jupiter.api.Test;

class SnapshotWindowTest {
  private static final long MS = 1_000_000L;

  @Test
  void aRateIsZeroUntilThereAreTwoSnapshots() {
    SnapshotWindow window = new SnapshotWindow(Snapshots.at(0, 500, 5, 1));

    assertThat(window.rate(PathName.UDP_RX, PathStats::bytes)).isZero();
  }

  @Test
  void withOneSecondTicksARateIsTheGrowthBetweenTheLastTwo() {
    SnapshotWindow window = new SnapshotWindow(Snapshots.at(0, 0, 0, 0));
    window.add(Snapshots.at(1000 * MS, 1_000, 10, 4));
    window.add(Snapshots.at(2000 * MS, 4_000, 30, 4));

    assertThat(window.rate(PathName.UDP_RX, PathStats::bytes)).isEqualTo(3_000.0);
    assertThat(window.rate(PathName.UDP_RX, PathStats::packets)).isEqualTo(20.0);
    assertThat(window.rate(PathName.UDP_RX, PathStats::eagain)).isZero();
  }

  @Test
  void withFasterTicksARateStillSpansAboutTheLastSecond() {
    SnapshotWindow window = new SnapshotWindow(Snapshots.at(0, 0, 0, 0));
    // 250 ms ticks: 100 bytes per tick for two seconds, then a burst of 10 000 in the last tick.
    long bytes = 0;
    for (int tick = 1; tick <= 8; tick++) {
      bytes += 100;
      window.add(Snapshots.at(tick * 250 * MS, bytes, 0, 0));
    }
    window.add(Snapshots.at(9 * 250 * MS, bytes + 10_000, 0, 0));

    // From the snapshot one second before the newest: 3 ticks of 100 plus the burst.
    assertThat(window.rate(PathName.TUN_RX, PathStats::bytes)).isEqualTo(10_300.0);
    assertThat(window.newest().monotonicNanos()).isEqualTo(9 * 250 * MS);
  }

  @Test
  void withSlowTicksARateSpansTheLastInterval() {
    SnapshotWindow window = new SnapshotWindow(Snapshots.at(0, 0, 0, 0));
    window.add(Snapshots.at(5000 * MS, 5_000, 0, 0));
    window.add(Snapshots.at(10_000 * MS, 15_000, 0, 0));

    assertThat(window.rate(PathName.TUN_RX, PathStats::bytes)).isEqualTo(2_000.0);
  }
}
