package dev.ringway.bench.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.NetnsTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quick tunnel benchmark over plain routing and ringway udp/uring fills every column with a
 * plausible value and writes its result files. Not timed: the numbers themselves are the
 * benchmark's business, not a test's.
 */
class TunnelBenchTest {

  @Test
  @NetnsTest
  void quickRunMeasuresPlainRoutingAndRingwayInFull(@TempDir Path results) throws Exception {
    List<Outcome> outcomes =
        TunnelBench.run(
            new TunnelBench.Options(
                true, EnumSet.of(Row.RINGWAY_UDP_URING, Row.PLAIN), 1, false, results));

    assertThat(outcomes).extracting(Outcome::row).containsExactly(Row.RINGWAY_UDP_URING, Row.PLAIN);
    assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Measured.class));
    for (Outcome outcome : outcomes) {
      Outcome.Measured m = (Outcome.Measured) outcome;
      assertThat(m.upload().gbitPerSecond()).as("%s upload", m.row()).isPositive();
      assertThat(m.download().gbitPerSecond()).as("%s download", m.row()).isPositive();
      assertThat(m.udp().deliveredPerSecond()).as("%s UDP", m.row()).isPositive();
      assertThat(m.udp().lossPercent()).as("%s UDP loss", m.row()).isBetween(0.0, 100.0);
      for (Rtt rtt : List.of(m.idle(), m.loaded())) {
        assertThat(rtt.p50Millis())
            .as("%s p50", m.row())
            .isPositive()
            .isLessThanOrEqualTo(rtt.p99Millis());
        assertThat(rtt.replies()).isPositive().isLessThanOrEqualTo(rtt.sent());
      }
    }
    Outcome.Measured ringway = (Outcome.Measured) outcomes.get(0);
    assertThat(ringway.serverCpuPerGb()).isPresent();
    assertThat(ringway.serverCpuPerGb().getAsDouble()).isPositive();
    assertThat(ringway.clientCpuPerGb()).isPresent();
    assertThat(ringway.clientCpuPerGb().getAsDouble()).isPositive();
    Outcome.Measured plain = (Outcome.Measured) outcomes.get(1);
    assertThat(plain.serverCpuPerGb()).isEmpty();
    assertThat(plain.clientCpuPerGb()).isEmpty();

    // A quick run of some rows is kept under its own name, never the latest result.
    assertThat(results.resolve("tunnel-latest.csv")).doesNotExist();
    Path csv = onlyFile(results, "-quick-partial.csv");
    assertThat(Files.readAllLines(csv))
        .hasSize(3)
        .anySatisfy(line -> assertThat(line).startsWith("ringway-udp-uring,ok,"))
        .anySatisfy(line -> assertThat(line).startsWith("plain,ok,"));
    assertThat(Files.readString(onlyFile(results, "-quick-partial.md")))
        .contains(
            "| ringway udp/uring |", "| plain routing (limit) |", "Load average before the run");
    assertThat(Files.size(onlyFile(results, "-quick-partial.png"))).isPositive();
  }

  private static Path onlyFile(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> matching = files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
      assertThat(matching).as("files ending %s in %s", suffix, dir).hasSize(1);
      return matching.getFirst();
    }
  }
}
