package dev.ringway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code alerts:} and {@code history.retention} as the loader reads and refuses them. */
class AlertRulesConfigTest {

  @TempDir Path dir;

  private ConfigOutcome load(String text) throws IOException {
    Path file = dir.resolve("server.yaml");
    Files.writeString(file, text);
    return ConfigLoader.load(file, Map.of(), Role.SERVER, name -> null);
  }

  private List<String> errors(String text) throws IOException {
    ConfigOutcome outcome = load(text);
    assertThat(outcome).isInstanceOf(ConfigOutcome.Invalid.class);
    return ((ConfigOutcome.Invalid) outcome).errors().stream().map(ConfigError::render).toList();
  }

  @Test
  void rulesAndRetentionLoad() throws IOException {
    ConfigOutcome outcome =
        load(
            """
            history:
              retention: 2h
            alerts:
              - name: tun-rx-eagain
                figure: path.tun.rx.eagainPerSecond
                above: 100
                for: 10s
              - { name: idle, figure: path.udp.rx.packetsPerSecond, below: 0.5 }
            """);

    Config config = ((ConfigOutcome.Valid) outcome).config();
    assertThat(config.history().retention()).isEqualTo(Duration.ofHours(2));
    assertThat(config.alerts())
        .containsExactly(
            new Config.AlertRule(
                "tun-rx-eagain",
                "path.tun.rx.eagainPerSecond",
                100.0,
                null,
                Duration.ofSeconds(10)),
            new Config.AlertRule("idle", "path.udp.rx.packetsPerSecond", null, 0.5, Duration.ZERO));
    assertThat(config.alerts().getFirst().toString())
        .isEqualTo("tun-rx-eagain: path.tun.rx.eagainPerSecond above 100 for 10s");
  }

  @Test
  void theDefaultsKeepADayAndHaveNoRules() {
    assertThat(Config.defaults().history().retention()).isEqualTo(Duration.ofHours(24));
    assertThat(Config.defaults().alerts()).isNull();
  }

  @Test
  void badRulesAreRefusedAtTheirPosition() throws IOException {
    List<String> errors =
        errors(
            """
            alerts:
              - name: a
                figure: path.tun.rx.eagainPerSec
                above: 1
              - name: b
                figure: jvm.heapUsedBytes
                for: 10s
              - name: c
                figure: process.cpuLoad
                above: 0.9
                for: ten seconds
              - name: d
                figure: process.cpuLoad
                above: lots
                below: 1
              - name: a
                figure: process.cpuLoad
                above: 1
                colour: red
            """);
    String file = dir.resolve("server.yaml").toString();

    assertThat(errors)
        .containsExactly(
            file
                + ":3:5: alerts[0].figure: unknown figure — figures are"
                + " path.<tun.rx|tun.tx|udp.rx|udp.tx|tcp.accept|tcp.rx|tcp.tx>.<eagainPerSecond|"
                + "slotExhaustedPerSecond|errorsPerSecond|packetsPerSecond|bytesPerSecond|inFlight>,"
                + " ring.cqOverflowsPerSecond, ring.sqFullPerSecond, ring.maxLoopIterationNanos,"
                + " jvm.heapUsedBytes, process.cpuLoad; did you mean"
                + " `path.tun.rx.eagainPerSecond`?",
            file + ":5:5: alerts[1]: missing threshold — give above: NUMBER or below: NUMBER",
            file
                + ":11:5: alerts[2].for: value ten seconds is not a duration — write a number"
                + " and a unit: 100ms, 15s, 15m, 1h or 1d",
            file
                + ":12:5: alerts[3]: has both above and below — a rule has one threshold; write"
                + " two rules",
            file
                + ":14:5: alerts[3].above: value lots is not a number — write e.g. 100, 0.5 or"
                + " 400000000",
            file
                + ":19:5: alerts[4].colour: unknown key — alerts[4] holds name, figure, above,"
                + " below, for");
  }

  @Test
  void aRuleNameTwiceIsRefused() throws IOException {
    assertThat(
            errors(
                """
                alerts:
                  - { name: a, figure: process.cpuLoad, above: 1 }
                  - { name: a, figure: jvm.heapUsedBytes, above: 1 }
                """))
        .containsExactly(
            dir.resolve("server.yaml") + ":3:7: alerts[1].name: rule a is listed twice");
  }

  @Test
  void aTooShortRetentionIsRefused() throws IOException {
    assertThat(errors("history: { retention: 1s }\n"))
        .containsExactly(
            dir.resolve("server.yaml")
                + ":1:12: history.retention: value 1s is out of range — must be between 10s and"
                + " 7d");
  }
}
