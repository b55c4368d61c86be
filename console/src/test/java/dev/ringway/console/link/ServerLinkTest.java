package dev.ringway.console.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringway.config.ConfigOutcome;
import dev.ringway.testkit.NetnsTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's link against a real server in a namespace: logins, roles, samples, retuning. */
@NetnsTest
class ServerLinkTest {
  @TempDir static Path dir;
  private static LiveServer server;

  private final Recorder recorder = new Recorder();
  private ServerLink link;

  @BeforeAll
  static void startServer() throws Exception {
    server = LiveServer.start(dir);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void closeLink() {
    if (link != null) {
      link.close();
    }
  }

  private ServerLink open(String user, String password) {
    link = ServerLink.open(server.profile(user, password), recorder);
    return link;
  }

  @Test
  void anOperatorConnectsAndMayChange() {
    open(LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD);

    LinkState.Connected connected = recorder.awaitState(LinkState.Connected.class);

    assertThat(connected.role()).isEqualTo(Role.OPERATOR);
    assertThat(connected.address()).isEqualTo(server.hostPort());
  }

  @Test
  void aWrongPasswordFailsWithTheServersAnswerAndIsNotRetried() {
    open(LiveServer.OPERATOR, "not-the-password");

    LinkState.Failed failed = recorder.awaitState(LinkState.Failed.class);

    assertThat(failed.cause()).contains("login refused").contains("wrong user name or password");
    assertThat(recorder.states).noneMatch(s -> s instanceof LinkState.Reconnecting);
  }

  @Test
  void aMonitorIsReadOnlyAndItsApplyIsDeniedWithoutChangingAnything() throws Exception {
    open(LiveServer.MONITOR, LiveServer.MONITOR_PASSWORD);
    LinkState.Connected connected = recorder.awaitState(LinkState.Connected.class);
    String before = link.tunables().valuesByKey().get("io.udp.rxSlots");

    ApplyOutcome outcome = link.apply(Map.of("io.udp.rxSlots", "40"));

    assertThat(connected.role()).isEqualTo(Role.MONITOR);
    assertThat(connected.roleReason()).contains("read-only").contains("monitor");
    assertThat(outcome).isInstanceOf(ApplyOutcome.Denied.class);
    assertThat(outcome.message()).contains("needs role operator");
    assertThat(link.tunables().valuesByKey().get("io.udp.rxSlots")).isEqualTo(before);
  }

  @Test
  void samplesComeOnceASecondAndRatesUseTheServersClock() {
    open(LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD);

    // The history replayed on connecting has no CPU figures; the polled samples have.
    Rates rates =
        recorder.awaitRates(
            r -> !Double.isNaN(r.loopCpuPercent()), "two comparable polled samples");

    assertThat(recorder.samples).extracting(Sample::epochMillis).contains(rates.epochMillis());
    assertThat(rates.paths())
        .extracting(Rates.PathRates::path)
        .contains("tun.rx", "tun.tx", "udp.rx", "udp.tx");
    Rates.PathRates tunRx =
        rates.paths().stream().filter(p -> p.path().equals("tun.rx")).findFirst().orElseThrow();
    assertThat(tunRx.slots()).isEqualTo(64);
    assertThat(rates.loopCpuPercent()).isBetween(0.0, 100.0);
    assertThat(rates.cqesPerEnter()).isGreaterThanOrEqualTo(0.0);
  }

  @Test
  void anAppliedChangeIsAnnouncedReadBackAndSeenInTheSamples() throws Exception {
    open(LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD);
    recorder.awaitState(LinkState.Connected.class);
    int slots = 40 + (int) (System.nanoTime() % 20);

    ApplyOutcome outcome = link.apply(Map.of("io.udp.rxSlots", String.valueOf(slots)));

    assertThat(outcome).isInstanceOf(ApplyOutcome.Applied.class);
    assertThat(outcome.message()).contains("io.udp.rxSlots").contains("→ " + slots);
    assertThat(link.tunables().valuesByKey())
        .containsEntry("io.udp.rxSlots", String.valueOf(slots));
    recorder.awaitEvent(
        e -> e.type().equals("jmx.attribute.change") && e.message().contains("→ " + slots),
        "the server's change notification");
    recorder.awaitRates(
        r -> r.paths().stream().anyMatch(p -> p.path().equals("udp.rx") && p.slots() == slots),
        "udp.rx sampled with " + slots + " slots");
  }

  @Test
  void aChangeTheServerRefusesComesBackVerbatimAndChangesNothing() throws Exception {
    open(LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD);
    recorder.awaitState(LinkState.Connected.class);
    LiveTunables before = link.tunables();

    ApplyOutcome outcome = link.apply(Map.of("io.tun.rxSlots", "0"));

    assertThat(outcome).isInstanceOf(ApplyOutcome.Refused.class);
    assertThat(outcome.message())
        .startsWith("refused, nothing changed: ")
        .contains("io.tun.rxSlots");
    assertThat(link.tunables()).isEqualTo(before);
    recorder.awaitEvent(
        e -> e.type().equals(ServerEvent.RETUNE_FAILED), "the refusal notification");
  }

  @Test
  void theConsoleValidatesWithTheSameRulesAsTheServer() throws Exception {
    open(LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD);
    recorder.awaitState(LinkState.Connected.class);
    LiveTunables live = link.tunables();
    Map<String, String> bad = Map.of("io.tun.rxSlots", "0");

    ConfigOutcome local = live.validate(bad);
    ApplyOutcome remote = link.apply(bad);

    assertThat(local).isInstanceOf(ConfigOutcome.Invalid.class);
    String rule = ((ConfigOutcome.Invalid) local).errors().getFirst().rule();
    assertThat(remote.message()).contains(rule);
  }

  @Test
  void aMonitorReadsTheConnectionsButMayNotDisconnect() throws Exception {
    open(LiveServer.MONITOR, LiveServer.MONITOR_PASSWORD);
    recorder.awaitState(LinkState.Connected.class);

    assertThat(link.connections()).isEmpty();
    assertThatThrownBy(() -> link.disconnect("0123456789abcdef"))
        .isInstanceOf(SecurityException.class)
        .hasMessageContaining("needs role operator");
  }

  @Test
  void disconnectingAnUnknownSessionSaysThereWasNone() throws Exception {
    open(LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD);
    recorder.awaitState(LinkState.Connected.class);

    assertThat(link.disconnect("0123456789abcdef")).isFalse();
  }
}
