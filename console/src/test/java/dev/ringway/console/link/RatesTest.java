package dev.ringway.console.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Rates come from counter deltas over the server's clock, never the console's. */
class RatesTest {
  private static final long START = 1_700_000_000_000L;
  private static final long SECOND = 1_000_000_000L;

  /**
   * A sample at server time {@code nanos} with {@code bytes}/{@code packets}/{@code eagain} on
   * tun.rx.
   */
  private static Sample at(
      long startTime, long nanos, long bytes, long packets, long eagain, long loopCpu) {
    return new Sample(
        startTime,
        nanos,
        START + nanos / 1_000_000,
        nanos / 1_000_000,
        0,
        1024,
        nanos / 1_000_000,
        3 * (nanos / 1_000_000),
        loopCpu,
        0,
        0.25,
        2,
        List.of(new PathSample("tun.rx", 64, 10, bytes, packets, eagain, 0, 0)));
  }

  private static Rates.PathRates tunRx(Rates rates) {
    return rates.paths().getFirst();
  }

  @Test
  void throughputIsByteGrowthOverServerTimeInMegabits() {
    Rates rates =
        Rates.between(at(START, 0, 0, 0, 0, 0), at(START, 2 * SECOND, 2_500_000, 400, 60, 0))
            .orElseThrow();

    assertThat(tunRx(rates).megabitsPerSecond()).isCloseTo(10.0, within(1e-9));
    assertThat(tunRx(rates).packetsPerSecond()).isCloseTo(200.0, within(1e-9));
    assertThat(tunRx(rates).eagainPerSecond()).isCloseTo(30.0, within(1e-9));
    assertThat(tunRx(rates).inFlight()).isEqualTo(10);
    assertThat(tunRx(rates).slots()).isEqualTo(64);
  }

  @Test
  void theTimeAxisIsTheNewerSamplesServerTime() {
    Sample newer = at(START, 3 * SECOND, 0, 0, 0, 0);

    Rates rates = Rates.between(at(START, SECOND, 0, 0, 0, 0), newer).orElseThrow();

    assertThat(rates.epochMillis()).isEqualTo(newer.epochMillis());
  }

  @Test
  void theSameStatsTickSeenTwiceGivesNoRate() {
    Sample sample = at(START, SECOND, 100, 1, 0, 0);

    assertThat(Rates.between(sample, sample)).isEmpty();
  }

  @Test
  void samplesFromTwoRunsOfTheServerAreNotCompared() {
    Sample beforeRestart = at(START, 50 * SECOND, 9_000_000, 9000, 0, 0);
    Sample afterRestart = at(START + 60_000, 2 * SECOND, 1000, 1, 0, 0);

    assertThat(Rates.between(beforeRestart, afterRestart)).isEmpty();
  }

  @Test
  void loopCpuIsCpuTimeOverUptimeInPercentOfOneCore() {
    Rates rates =
        Rates.between(at(START, 0, 0, 0, 0, 0), at(START, 2 * SECOND, 0, 0, 0, SECOND / 2))
            .orElseThrow();

    assertThat(rates.loopCpuPercent()).isCloseTo(25.0, within(1e-9));
    assertThat(rates.processCpuPercent()).isCloseTo(25.0, within(1e-9));
  }

  @Test
  void anUnmeasuredCpuFigureIsAGapNotZero() {
    Rates rates =
        Rates.between(at(START, 0, 0, 0, 0, -1), at(START, SECOND, 0, 0, 0, -1)).orElseThrow();

    assertThat(rates.loopCpuPercent()).isNaN();
  }

  @Test
  void cqesPerEnterIsOverTheIntervalNotSinceStart() {
    Rates rates =
        Rates.between(at(START, SECOND, 0, 0, 0, 0), at(START, 2 * SECOND, 0, 0, 0, 0))
            .orElseThrow();

    assertThat(rates.cqesPerEnter()).isCloseTo(3.0, within(1e-9));
  }
}
