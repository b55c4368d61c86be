package dev.ringway.console.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.config.Config;
import dev.ringway.config.ConfigError;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pending edits are checked with the yaml-config rules before anything is sent. */
class TuningDraftTest {
  private static LiveTunables defaults(Config.Mode mode) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("io.ring.entries", "1024");
    values.put("io.tun.rxSlots", "64");
    values.put("io.udp.rxSlots", "32");
    values.put("io.tx.slots", "512");
    values.put("io.tcp.maxConnections", "256");
    return new LiveTunables(mode, values);
  }

  @Test
  void onlyKeysThatDifferFromTheAppliedValuesAreSent() {
    TuningDraft draft =
        TuningDraft.of(defaults(Config.Mode.UDP))
            .with("io.tun.rxSlots", "64")
            .with("io.tx.slots", " 256 ");

    assertThat(draft.changes()).containsExactly(Map.entry("io.tx.slots", "256"));
    assertThat(draft.errors()).isEmpty();
  }

  @Test
  void anOutOfRangeValueIsAnErrorNamingItsKey() {
    TuningDraft draft = TuningDraft.of(defaults(Config.Mode.UDP)).with("io.tun.rxSlots", "0");

    assertThat(draft.errors()).extracting(ConfigError::key).containsExactly("io.tun.rxSlots");
  }

  @Test
  void theSlotBudgetOfTheServersModeApplies() {
    TuningDraft tooMany =
        TuningDraft.of(defaults(Config.Mode.UDP))
            .with("io.tun.rxSlots", "1024")
            .with("io.tx.slots", "1024");

    assertThat(tooMany.errors()).isNotEmpty();
    assertThat(tooMany.errors()).extracting(ConfigError::rule).anyMatch(r -> r.contains("2048"));
  }

  @Test
  void revertingPutsBackTheValuesTheChangeReplaced() {
    LiveTunables after = defaults(Config.Mode.UDP);
    TuningDraft.AppliedChange change =
        new TuningDraft.AppliedChange(
            0, Map.of("io.tun.rxSlots", "48"), Map.of("io.tun.rxSlots", "64"), "applied");

    TuningDraft back = TuningDraft.reverting(after, change);

    assertThat(back.changes()).containsExactly(Map.entry("io.tun.rxSlots", "48"));
  }
}
