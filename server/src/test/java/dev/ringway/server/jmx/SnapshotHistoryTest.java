package dev.ringway.server.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringway.loop.PathName;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The history ring: order, wrap at capacity, time ranges and thinning to maxPoints. */
class SnapshotHistoryTest {
  private static final long SECOND = 1_000_000_000L;

  private static SnapshotHistory filled(int capacity, int ticks) {
    SnapshotHistory history = new SnapshotHistory(capacity, () -> {});
    for (int i = 0; i < ticks; i++) {
      history.add(Snapshots.at(i * SECOND, 1000L * i, 10L * i, i));
    }
    return history;
  }

  private static long epoch(int tick) {
    return Snapshots.at(tick * SECOND, 0, 0, 0).epochMillis();
  }

  private static long[] epochs(HistoryMXBean.Sample[] samples) {
    return Arrays.stream(samples).mapToLong(HistoryMXBean.Sample::epochMillis).toArray();
  }

  @Test
  void theRingWrapsAtCapacityKeepingTheNewestInOrder() {
    SnapshotHistory history = filled(5, 8);
    HistoryBean bean = new HistoryBean(history, Duration.ofSeconds(1));

    assertThat(bean.getSize()).isEqualTo(5);
    assertThat(bean.getCapacity()).isEqualTo(5);
    assertThat(bean.getOldest()).isEqualTo(epoch(3));
    assertThat(bean.getNewest()).isEqualTo(epoch(7));
    HistoryMXBean.Sample[] all = bean.range(0, Long.MAX_VALUE, 100);
    assertThat(epochs(all)).containsExactly(epoch(3), epoch(4), epoch(5), epoch(6), epoch(7));
    HistoryMXBean.PathSample tunRx = all[4].paths().get(PathName.TUN_RX.ordinal());
    assertThat(tunRx.path()).isEqualTo("tun.rx");
    assertThat(tunRx.bytes()).isEqualTo(7000);
    assertThat(tunRx.packets()).isEqualTo(70);
    assertThat(tunRx.eagain()).isEqualTo(7);
    assertThat(tunRx.slots()).isEqualTo(64);
    assertThat(tunRx.inFlight()).isEqualTo(3);
    assertThat(all[4].maxLoopIterationNanos()).isEqualTo(5000);
    assertThat(all[4].monotonicNanos()).isEqualTo(7 * SECOND);
  }

  @Test
  void aRangeIsInclusiveAndAnEmptyHistoryAnswersNothing() {
    HistoryBean bean = new HistoryBean(filled(100, 10), Duration.ofSeconds(1));

    assertThat(epochs(bean.range(epoch(2), epoch(4), 100)))
        .containsExactly(epoch(2), epoch(3), epoch(4));
    assertThat(bean.range(epoch(4) + 1, epoch(5) - 1, 100)).isEmpty();
    assertThat(bean.range(epoch(20), epoch(30), 100)).isEmpty();

    HistoryBean empty = new HistoryBean(filled(10, 0), Duration.ofSeconds(1));
    assertThat(empty.getSize()).isZero();
    assertThat(empty.getOldest()).isZero();
    assertThat(empty.getNewest()).isZero();
    assertThat(empty.range(0, Long.MAX_VALUE, 10)).isEmpty();
  }

  @Test
  void moreSamplesThanMaxPointsAreThinnedEvenlyKeepingFirstAndLast() {
    HistoryBean bean = new HistoryBean(filled(1000, 1000), Duration.ofSeconds(1));

    long[] thinned = epochs(bean.range(0, Long.MAX_VALUE, 10));

    assertThat(thinned).hasSize(10);
    assertThat(thinned[0]).isEqualTo(epoch(0));
    assertThat(thinned[9]).isEqualTo(epoch(999));
    for (int i = 1; i < thinned.length; i++) {
      long step = thinned[i] - thinned[i - 1];
      assertThat(step).isBetween(110_000L, 112_000L);
    }
    assertThat(epochs(bean.range(0, Long.MAX_VALUE, 1))).containsExactly(epoch(999));
    assertThatThrownBy(() -> bean.range(0, Long.MAX_VALUE, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPoints");
  }

  @Test
  void aDayAtOneSecondIs86400SamplesOf392Bytes() {
    int capacity = SnapshotHistory.capacityFor(Duration.ofHours(24), Duration.ofSeconds(1));

    assertThat(capacity).isEqualTo(86_400);
    assertThat(SnapshotHistory.bytesFor(capacity)).isEqualTo(86_400L * 392);
    assertThat(SnapshotHistory.capacityFor(Duration.ofSeconds(10), Duration.ofMillis(250)))
        .isEqualTo(40);
    assertThat(SnapshotHistory.capacityFor(Duration.ofSeconds(10), Duration.ofMinutes(1)))
        .isEqualTo(2);
  }

  @Test
  void aReaderSkipsWhatTheWriterOverwroteMeanwhile() {
    SnapshotHistory history = filled(4, 4);
    long[] sample = new long[SnapshotHistory.FIELDS];

    assertThat(history.copy(0, sample)).isTrue();
    history.add(Snapshots.at(4 * SECOND, 0, 0, 0));

    assertThat(history.copy(0, sample)).as("overwritten by tick 4").isFalse();
    assertThat(history.copy(5, sample)).as("not yet written").isFalse();
    assertThat(history.copy(4, sample)).isTrue();
    assertThat(sample[SnapshotHistory.MONOTONIC]).isEqualTo(4 * SECOND);
    assertThat(List.of(history.newestSequence(), (long) history.size())).containsExactly(4L, 4L);
  }
}
