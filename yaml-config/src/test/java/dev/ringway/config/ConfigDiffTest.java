package dev.ringway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reload: the file is re-read, live changes go through the JMX path, the rest is reported. */
class ConfigDiffTest {

  @TempDir Path dir;

  private Config load(String yaml) throws IOException {
    Path file = dir.resolve("ringway.yaml");
    Files.writeString(file, yaml);
    ConfigOutcome outcome = ConfigLoader.load(file, Map.of(), Role.SERVER, name -> null);
    assertThat(outcome).isInstanceOf(ConfigOutcome.Valid.class);
    return ((ConfigOutcome.Valid) outcome).config();
  }

  @Test
  void anUnchangedFileChangesNothing() throws IOException {
    Config running = load("io: { tun: { rxSlots: 16 } }\n");

    assertThat(ConfigDiff.between(running, load("io: { tun: { rxSlots: 16 } }\n")).isEmpty())
        .isTrue();
  }

  @Test
  void changedLiveKeysComeOutAsYamlTextReadyForTheJmxApplyPath() throws IOException {
    Config running = load("io: { tun: { rxSlots: 16 } }\n");
    Config reloaded =
        load("io: { tun: { rxSlots: 32, blocking: true }, ring: { sqpollIdle: 1s } }\n");

    ConfigDiff diff = ConfigDiff.between(running, reloaded);

    assertThat(diff.live())
        .containsExactly(
            Map.entry("io.ring.sqpollIdle", "1s"),
            Map.entry("io.tun.rxSlots", "32"),
            Map.entry("io.tun.blocking", "true"));
    assertThat(diff.restartRequired()).isEmpty();
    assertThat(Tunables.validateChange(running, diff.live()))
        .isEqualTo(new ConfigOutcome.Valid(reloaded));
  }

  @Test
  void restartOnlyKeysAreReportedWithOldAndNewValueAndKeptOutOfTheLiveChange() throws IOException {
    Config running = load("mode: udp\n");
    Config reloaded =
        load(
            "mode: tcp\nbind: 0.0.0.0:443\nnetwork: { tun: rw9, pool: 10.9.0.0/16 }\nlog: { level: warn }\n");

    ConfigDiff diff = ConfigDiff.between(running, reloaded);

    assertThat(diff.restartRequired())
        .extracting(ConfigDiff.Change::toString)
        .containsExactly(
            "mode: udp → tcp",
            "bind: 0.0.0.0:27690 → 0.0.0.0:443",
            "network.tun: ringway0 → rw9",
            "network.pool: 10.125.0.0/16 → 10.9.0.0/16");
    assertThat(diff.live()).containsExactly(Map.entry("log.level", "warn"));
  }

  @Test
  void aLiveChangeThatBreaksTheBudgetOfTheRunningModeIsRejectedWhole() throws IOException {
    Config running = load("io: { ring: { entries: 512 } }\n");
    Config reloadedLive = running;
    Map<String, String> live =
        ConfigDiff.between(running, load("io: { ring: { entries: 512 }, tun: { rxSlots: 100 } }\n"))
            .live();

    ConfigOutcome applied =
        Tunables.validateChange(
            reloadedLive, Map.of("io.tun.rxSlots", "600", "log.level", "debug"));

    assertThat(live).containsExactly(Map.entry("io.tun.rxSlots", "100"));
    assertThat(applied).isInstanceOf(ConfigOutcome.Invalid.class);
    assertThat(((ConfigOutcome.Invalid) applied).errors())
        .extracting(ConfigError::key)
        .containsExactly("io.tun.rxSlots");
  }
}
