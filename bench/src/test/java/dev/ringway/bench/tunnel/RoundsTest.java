package dev.ringway.bench.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Several rounds of a row report medians, show each round's figures, and keep every failure. */
class RoundsTest {

  @Test
  void figuresAreMediansAndTheNoteShowsEachRound() {
    Outcome combined =
        Rounds.combine(
            Row.RINGWAY_UDP_URING,
            List.of(measured(1.0, 4.0), measured(3.0, 6.0), measured(1.5, 5.0)));

    Outcome.Measured m = (Outcome.Measured) combined;
    assertThat(m.upload().gbitPerSecond()).isEqualTo(1.5);
    assertThat(m.serverCpuPerGb()).hasValue(5.0);
    assertThat(m.idle().sent()).isEqualTo(30);
    assertThat(m.notes())
        .containsExactly(
            "per round: TCP up 1.00 / 3.00 / 1.50, down 1.00 / 3.00 / 1.50 Gbit/s,"
                + " server CPU 4.00 / 6.00 / 5.00 s/GB");
  }

  @Test
  void aFailedRoundIsANoteAndTheOthersStillCount() {
    Outcome combined =
        Rounds.combine(
            Row.OPENVPN,
            List.of(new Outcome.Failed(Row.OPENVPN, "client exited"), measured(2.0, 3.0)));

    Outcome.Measured m = (Outcome.Measured) combined;
    assertThat(m.upload().gbitPerSecond()).isEqualTo(2.0);
    assertThat(m.notes()).contains("round 1 failed: client exited");
  }

  @Test
  void aRowNoRoundMeasuredFailsWithEveryReason() {
    Outcome combined =
        Rounds.combine(
            Row.OPENVPN,
            List.of(
                new Outcome.Failed(Row.OPENVPN, "client exited"),
                new Outcome.Failed(Row.OPENVPN, "timed out")));

    assertThat(combined)
        .isEqualTo(
            new Outcome.Failed(
                Row.OPENVPN, "round 1 failed: client exited; round 2 failed: timed out"));
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Rounds.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
  }

  private static Outcome.Measured measured(double gbitPerSecond, double serverCpuPerGb) {
    Rtt rtt = new Rtt(1, 2, 10, 10);
    return new Outcome.Measured(
        Row.RINGWAY_UDP_URING,
        new Iperf.Tcp(gbitPerSecond, 1_000_000_000L),
        new Iperf.Tcp(gbitPerSecond, 1_000_000_000L),
        new Iperf.Udp(50_000, 1.5),
        rtt,
        rtt,
        OptionalDouble.of(serverCpuPerGb),
        OptionalDouble.of(serverCpuPerGb),
        List.of(),
        Optional.empty());
  }
}
