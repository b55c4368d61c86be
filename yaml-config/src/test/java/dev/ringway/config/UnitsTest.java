package dev.ringway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringway.config.Yaml.Source;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How durations and sizes are written and read back. */
class UnitsTest {

  private static final Source HERE = new Source("test", Path.of("/"), 0, false);
  private static final Kind.Span SPAN = new Kind.Span(Duration.ZERO, Duration.ofDays(30));
  private static final Kind.Size SIZE = new Kind.Size(0, 1 << 30);

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "0ms, 0",
    "100ms, 100",
    "15s, 15000",
    "15m, 900000",
    "1h, 3600000",
    "2d, 172800000"
  })
  void durationsTakeAWholeNumberAndOneUnit(String text, long millis) throws Rejected {
    assertThat(SPAN.parse(text, HERE)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @CsvSource({"0, 0ms", "1500, 1500ms", "60000, 1m", "90000, 90s", "86400000, 1d"})
  void durationsPrintInTheLargestExactUnit(long millis, String text) {
    assertThat(SPAN.format(Duration.ofMillis(millis))).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({"4096, 4096", "1B, 1", "256KiB, 262144", "15MiB, 15728640", "1GiB, 1073741824"})
  void sizesTakeBytesOrBinaryUnits(String text, int bytes) throws Rejected {
    assertThat(SIZE.parse(text, HERE)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @CsvSource({"15MB, 15MiB", "256kb, 256KiB", "1G, 1GiB", "15mib, 15MiB", "1.5MiB, 1536KiB"})
  void ambiguousOrMiswrittenSizesAreRefusedWithTheBinaryReading(String text, String meant) {
    assertThatThrownBy(() -> SIZE.parse(text, HERE))
        .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.suggestion).isEqualTo(meant));
  }

  @ParameterizedTest
  @CsvSource({"15 s, 15s", "10sec, 10s", "2hours, 2h", "0.5s, 500ms", "1.5m, 90s"})
  void miswrittenDurationsAreRefusedWithWhatWasMeant(String text, String meant) {
    assertThatThrownBy(() -> SPAN.parse(text, HERE))
        .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.suggestion).isEqualTo(meant));
  }

  @Test
  void hugeNumbersAreOutOfRangeRatherThanOverflowing() {
    assertThatThrownBy(() -> SPAN.parse("99999999999999999999d", HERE))
        .hasMessageContaining("is out of range — must be between 0ms and 30d");
    assertThatThrownBy(() -> SIZE.parse("99999999999GiB", HERE))
        .hasMessageContaining("is out of range — must be between 0 and 1GiB");
  }

  @Test
  void aDurationBelowItsMinimumNamesTheRangeInUnits() {
    Kind.Span span = new Kind.Span(Duration.ofSeconds(1), Duration.ofMinutes(10));
    assertThatThrownBy(() -> span.parse("500ms", HERE))
        .hasMessage("value 500ms is out of range — must be between 1s and 10m");
  }
}
