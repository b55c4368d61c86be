package dev.ringway.bench.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The CSV and the table carry every column of a measured row and the reason of a failed one. */
class TunnelReportTest {
  private static final Outcome.Measured PLAIN =
      new Outcome.Measured(
          Row.PLAIN,
          new Iperf.Tcp(14.5, 14_500_000_000L),
          new Iperf.Tcp(15.25, 15_250_000_000L),
          new Iperf.Udp(87_820.4, 1.6),
          new Rtt(0.05, 0.08, 200, 200),
          new Rtt(0.03, 0.1, 150, 150),
          OptionalDouble.empty(),
          OptionalDouble.empty(),
          List.of("session 1 carried small pings only"),
          Optional.empty());
  private static final Outcome.Failed NIO =
      new Outcome.Failed(Row.RINGWAY_UDP_NIO, "the server exited:\n\"bad\", said it");

  @Test
  void csvHasOneLinePerRowWithEmptyCpuForAProcesslessTunnelAndTheQuotedReason() {
    List<String> lines = TunnelReport.csv(List.of(PLAIN, NIO)).lines().toList();

    assertThat(lines).hasSize(3);
    assertThat(lines.get(1))
        .isEqualTo(
            "plain,ok,14.500,15.250,87820,1.600,0.050,0.080,0.030,0.100,,,"
                + "\"session 1 carried small pings only\"");
    assertThat(lines.get(2))
        .isEqualTo("ringway-udp-nio,failed,,,,,,,,,,,\"the server exited: \"\"bad\"\", said it\"");
  }

  @Test
  void tableShowsADashForMissingCpuAndTheFirstLineOfAFailure() {
    String table = TunnelReport.table(List.of(PLAIN, NIO));

    assertThat(table)
        .contains("| plain routing (limit) | 14.50 | 15.25 |")
        .contains("| — | — |")
        .contains("| ringway udp/nio | failed: the server exited: |");
  }
}
