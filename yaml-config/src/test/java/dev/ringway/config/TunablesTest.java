package dev.ringway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TunablesTest {

  private static final Config CURRENT = Config.defaults();

  private static Config valid(ConfigOutcome outcome) {
    assertThat(outcome).isInstanceOf(ConfigOutcome.Valid.class);
    return ((ConfigOutcome.Valid) outcome).config();
  }

  private static List<String> errors(ConfigOutcome outcome) {
    assertThat(outcome).isInstanceOf(ConfigOutcome.Invalid.class);
    return ((ConfigOutcome.Invalid) outcome).errors().stream().map(ConfigError::render).toList();
  }

  @Test
  void theLiveKeysAreTheJmxTunablesOfTheDesign() {
    assertThat(Settings.live())
        .extracting(Setting::jmxAttribute)
        .containsExactly(
            "RingEntries",
            "SqpollIdleMillis",
            "TunRxSlots",
            "TunBlocking",
            "UdpRxSlots",
            "UdpSocketBufferBytes",
            "TcpSocketBufferBytes",
            "TcpMaxConnections",
            "TxSlots",
            "LogLevel");
  }

  @Test
  void everyLiveKeyHasADescriptionAndAJmxUnitWhereItCountsSomething() {
    assertThat(Settings.live()).allSatisfy(s -> assertThat(s.description()).isNotBlank());
    assertThat(Settings.live())
        .extracting(Setting::jmxUnit)
        .containsExactly(
            "entries",
            "milliseconds",
            "slots",
            "",
            "slots",
            "bytes",
            "bytes",
            "connections",
            "slots",
            "");
  }

  @Test
  void aValidChangeReturnsTheNewConfigurationWithEveryKeyApplied() {
    Map<String, String> change = new LinkedHashMap<>();
    change.put("io.tun.rxSlots", "128");
    change.put("io.ring.sqpollIdle", "2s");
    change.put("io.udp.socketBuffer", "4MiB");
    change.put("log.level", "debug");

    Config updated = valid(Tunables.validateChange(CURRENT, change));

    assertThat(updated.io().tun().rxSlots()).isEqualTo(128);
    assertThat(updated.io().ring().sqpollIdle()).isEqualTo(Duration.ofSeconds(2));
    assertThat(updated.io().udp().socketBuffer()).isEqualTo(4 << 20);
    assertThat(updated.log().level()).isEqualTo(Config.LogLevel.DEBUG);
    assertThat(updated.io().tx()).isEqualTo(CURRENT.io().tx());
  }

  @Test
  void anOutOfRangeValueIsRejectedWithItsRule() {
    assertThat(errors(Tunables.validateChange(CURRENT, Map.of("io.tun.rxSlots", "0"))))
        .containsExactly("io.tun.rxSlots: value 0 is out of range — must be between 1 and 4096");
  }

  @Test
  void aWrongTypeIsRejected() {
    assertThat(errors(Tunables.validateChange(CURRENT, Map.of("io.tun.blocking", "maybe"))))
        .containsExactly("io.tun.blocking: value maybe is not a boolean — write true or false");
  }

  @Test
  void aChangeThatBreaksTheSlotBudgetIsRejectedAndBlamesTheChangedKey() {
    assertThat(errors(Tunables.validateChange(CURRENT, Map.of("io.ring.entries", "256"))))
        .containsExactly(
            "io.ring.entries: slot budget exceeded in udp mode: io.tun.rxSlots 64 + io.udp.rxSlots"
                + " 32 + io.tx.slots 512 + 8 control = 616 completions in flight, more than the 512"
                + " the completion queue holds (2 × io.ring.entries 256) — did you mean `512`?");
  }

  @Test
  void shrinkingTheRingTogetherWithTheSlotsIsOneValidChange() {
    Map<String, String> change =
        Map.of("io.ring.entries", "128", "io.tx.slots", "200", "io.tun.rxSlots", "16");

    Config updated = valid(Tunables.validateChange(CURRENT, change));

    assertThat(SlotBudget.inFlight(updated.mode(), updated.io())).isEqualTo(16 + 32 + 200 + 8);
    assertThat(updated.io().ring().cqEntries()).isEqualTo(256);
  }

  @Test
  void anUnknownKeyIsRejectedWithASuggestion() {
    assertThat(errors(Tunables.validateChange(CURRENT, Map.of("io.tx.slot", "8"))))
        .singleElement()
        .asString()
        .startsWith("io.tx.slot: unknown key — live keys are io.ring.entries, ")
        .endsWith("did you mean `io.tx.slots`?");
  }

  @Test
  void aJmxAttributeNameIsPointedToItsYamlKey() {
    assertThat(errors(Tunables.validateChange(CURRENT, Map.of("TunRxSlots", "8"))))
        .singleElement()
        .asString()
        .endsWith("did you mean `io.tun.rxSlots`?");
  }

  @Test
  void aRestartOnlyKeyCannotBeChangedLive() {
    assertThat(errors(Tunables.validateChange(CURRENT, Map.of("network.pool", "10.1.0.0/16"))))
        .containsExactly(
            "network.pool: cannot change while running — edit the configuration file and restart");
  }

  @Test
  void oneBadKeyRejectsTheWholeChange() {
    Map<String, String> change = new LinkedHashMap<>();
    change.put("io.tun.rxSlots", "32");
    change.put("io.udp.rxSlots", "-4");

    ConfigOutcome outcome = Tunables.validateChange(CURRENT, change);

    assertThat(errors(outcome))
        .containsExactly("io.udp.rxSlots: value -4 is out of range — must be between 1 and 4096");
    assertThat(CURRENT).isEqualTo(Config.defaults());
  }

  @Test
  void theConsoleRebuildsTheRunningConfigurationFromModeAndLiveValues() {
    Map<String, String> live = Map.of("io.tcp.maxConnections", "1000", "io.ring.entries", "1024");

    assertThat(Tunables.fromLiveValues(Config.Mode.UDP, live))
        .isInstanceOf(ConfigOutcome.Valid.class);
    assertThat(errors(Tunables.fromLiveValues(Config.Mode.TCP, live)))
        .singleElement()
        .asString()
        .startsWith("io.tcp.maxConnections: slot budget exceeded in tcp mode");
  }

  @Test
  void aChoiceTypedInUpperCaseOverJmxIsAccepted() {
    Setting<?> logLevel = Settings.byJmxAttribute("LogLevel");

    Config updated =
        valid(
            Tunables.validateChange(
                CURRENT, Map.of(logLevel.key(), logLevel.textOfJmxValue("DEBUG"))));

    assertThat(updated.log().level()).isEqualTo(Config.LogLevel.DEBUG);
  }

  @Test
  void jmxValuesConvertToTheYamlTextThatValidates() {
    Setting<?> sqpoll = Settings.byJmxAttribute("SqpollIdleMillis");
    Setting<?> buffer = Settings.byJmxAttribute("UdpSocketBufferBytes");

    Config updated =
        valid(
            Tunables.validateChange(
                CURRENT,
                Map.of(
                    sqpoll.key(), sqpoll.textOfJmxValue(250L),
                    buffer.key(), buffer.textOfJmxValue(1 << 20))));

    assertThat(sqpoll.jmxValueIn(updated)).isEqualTo(250L);
    assertThat(buffer.jmxValueIn(updated)).isEqualTo(1 << 20);
    assertThat(Settings.LOG_LEVEL.jmxValueIn(updated)).isEqualTo("info");
    assertThat(Settings.TUN_BLOCKING.jmxValueIn(updated)).isEqualTo(false);
  }
}
