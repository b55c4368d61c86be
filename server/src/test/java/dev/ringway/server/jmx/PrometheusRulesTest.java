package dev.ringway.server.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.Commands;
import dev.ringway.testkit.PromtoolTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus alerting rules shipped next to the exporter rules: valid for promtool, passing
 * their own unit tests, and written on metric names the exporter rules actually produce.
 */
class PrometheusRulesTest {
  private static final Path DIR = Path.of("src/main/resources/prometheus");
  private static final Path RULES = DIR.resolve("ringway-alerts.yaml");
  private static final Path TESTS = DIR.resolve("ringway-alerts.test.yaml");
  private static final Path EXPORTER = DIR.resolve("ringway-jmx-exporter.yaml");

  @Test
  @PromtoolTest
  void promtoolChecksTheRules() {
    Commands.Result result =
        Commands.run(
            Duration.ofSeconds(60), List.of("promtool", "check", "rules", RULES.toString()));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: 7 rules found");
  }

  @Test
  @PromtoolTest
  void theRulesPassTheirPromtoolUnitTests() {
    Commands.Result result =
        Commands.run(
            Duration.ofSeconds(60), List.of("promtool", "test", "rules", TESTS.toString()));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  @Test
  void everyRingwayMetricTheRulesUseIsOneTheExporterRulesProduce() throws Exception {
    Set<String> used = new TreeSet<>();
    Matcher metric =
        Pattern.compile("\\b(ringway_[a-z_]+)")
            .matcher(Files.readString(RULES).replaceAll("#.*", ""));
    while (metric.find()) {
      used.add(metric.group(1));
    }
    Set<String> produced = new TreeSet<>();
    Matcher name =
        Pattern.compile("(?m)^\\s+name: (ringway_[a-z_]+)$").matcher(Files.readString(EXPORTER));
    while (name.find()) {
      produced.add(name.group(1));
    }

    assertThat(used).isNotEmpty();
    assertThat(produced).containsAll(used);
  }
}
