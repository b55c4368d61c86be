package dev.ringway.bench.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Issue 10's targets are judged from the rows' numbers, and a failed row is never a verdict. */
class TargetsTest {

  @Test
  void twiceOpenVpnsThroughputAtHalfItsCpuIsMet() {
    List<Targets.Verdict> verdicts =
        Targets.judge(
            List.of(
                measured(Row.RINGWAY_UDP_URING, 2.0, 3.0),
                measured(Row.OPENVPN, 1.0, 6.0),
                measured(Row.RINGWAY_UDP_NIO, 1.5, 5.0)));

    assertThat(verdicts)
        .extracting(Targets.Verdict::status)
        .containsExactly(
            Targets.Status.MET, Targets.Status.MET, Targets.Status.MET, Targets.Status.MET);
    assertThat(verdicts.getFirst().numbers()).isEqualTo("2.00 vs 1.00 Gbit/s = 2.00×");
  }

  @Test
  void lessThanTwiceOrMoreThanHalfIsMissedWithTheNumbers() {
    List<Targets.Verdict> verdicts =
        Targets.judge(
            List.of(
                measured(Row.RINGWAY_UDP_URING, 1.9, 4.0),
                measured(Row.OPENVPN, 1.0, 6.0),
                measured(Row.RINGWAY_UDP_NIO, 1.5, 5.0)));

    assertThat(verdicts)
        .extracting(Targets.Verdict::status)
        .containsExactly(
            Targets.Status.MISSED,
            Targets.Status.MISSED,
            Targets.Status.MISSED,
            Targets.Status.MISSED);
    assertThat(verdicts.get(2).numbers()).isEqualTo("4.00 vs 6.00 CPU-s/GB = 0.67×");
  }

  @Test
  void aFailedOrMissingRowLeavesItsTargetsNotMeasuredWithTheReason() {
    List<Targets.Verdict> verdicts =
        Targets.judge(
            List.of(
                measured(Row.RINGWAY_UDP_URING, 2.0, 3.0),
                new Outcome.Failed(Row.RINGWAY_UDP_NIO, "server exited\nmore detail")));

    assertThat(verdicts)
        .extracting(Targets.Verdict::status)
        .containsOnly(Targets.Status.NOT_MEASURED);
    assertThat(verdicts.getFirst().numbers()).isEqualTo("OpenVPN 2.6 (userspace) was not run");
    assertThat(verdicts.getLast().numbers()).isEqualTo("ringway udp/nio failed (server exited)");
  }

  private static Outcome.Measured measured(Row row, double gbitPerSecond, double serverCpuPerGb) {
    Rtt rtt = new Rtt(1, 2, 10, 10);
    return new Outcome.Measured(
        row,
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
