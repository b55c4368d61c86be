package dev.ringway.server.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringway.config.Config;
import dev.ringway.config.ConfigLoader;
import dev.ringway.config.ConfigOutcome;
import dev.ringway.config.Role;
import dev.ringway.loop.Knobs;
import dev.ringway.loop.uring.EventLoop;
import dev.ringway.testkit.KernelTest;
import dev.ringway.testkit.LoopThread;
import dev.ringway.uring.RingOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.AttributeChangeNotification;
import javax.management.Notification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retuner on a real loop with no I/O sources: changes land at one safe point or not at all, a
 * loop that does not answer in time is a failure that stays one, and reload applies the live part
 * of a file.
 */
@KernelTest
class RetunerTest {
  private EventLoop loop;
  private LoopThread thread;
  private final List<String> tcpCalls = new ArrayList<>();
  private boolean refuseMaxConnections;

  /** The TCP knobs, standing in for ones that fail on demand; they record what they were told. */
  private Knobs tcpKnobs() {
    return new Knobs()
        .add("io.tcp.socketBuffer", bytes -> tcpCalls.add("socketBuffer " + bytes))
        .add(
            "io.tcp.maxConnections",
            connections -> {
              if (refuseMaxConnections) {
                throw new IllegalStateException("the listener is gone");
              }
              tcpCalls.add("maxConnections " + connections);
            });
  }

  @BeforeEach
  void startLoop() throws Exception {
    loop = new EventLoop(RingOptions.singleIssuer(64), 50_000_000L, 1_000_000_000L);
    thread = LoopThread.start("test-loop", loop::run, loop.started(), loop::stop);
  }

  @AfterEach
  void stopLoop() throws InterruptedException {
    thread.close();
  }

  private Retuner retuner() {
    return new Retuner(new LiveIo(loop, tcpKnobs()), Config.defaults());
  }

  @Test
  void aChangeIsAppliedOnTheLoopAndReportedOldToNewWithItsDuration() {
    Retuner retuner = retuner();

    Retuner.Outcome outcome =
        retuner.apply(Map.of("io.tcp.maxConnections", "100", "io.tcp.socketBuffer", "64KiB"));

    assertThat(outcome).isInstanceOf(Retuner.Applied.class);
    assertThat(outcome.render())
        .matches(
            "applied io\\.tcp\\.socketBuffer 256KiB → 64KiB, io\\.tcp\\.maxConnections 256 → 100"
                + " in \\d+\\.\\d ms \\(\\d+\\.\\d ms on the loop\\)");
    assertThat(tcpCalls).containsExactly("socketBuffer 65536", "maxConnections 100");
    assertThat(retuner.current().io().tcp().maxConnections()).isEqualTo(100);
  }

  @Test
  void aFailingPartUndoesTheOthersAndNothingChanges() {
    Retuner retuner = retuner();
    refuseMaxConnections = true;

    Retuner.Outcome outcome =
        retuner.apply(Map.of("io.tcp.maxConnections", "100", "io.tcp.socketBuffer", "64KiB"));

    assertThat(outcome).isInstanceOf(Retuner.Failed.class);
    assertThat(outcome.render()).isEqualTo("failed, nothing changed: the listener is gone");
    assertThat(tcpCalls).containsExactly("socketBuffer 65536", "socketBuffer 262144");
    assertThat(retuner.current()).isEqualTo(Config.defaults());
  }

  @Test
  void aLoopThatDoesNotAnswerInFiveSecondsIsAFailureAndTheChangeNeverLands() throws Exception {
    Retuner retuner = retuner();
    CountDownLatch release = new CountDownLatch(1);
    loop.call(() -> release.await(20, TimeUnit.SECONDS));

    Retuner.Outcome outcome = retuner.apply(Map.of("io.tcp.maxConnections", "100"));
    release.countDown();
    loop.call(() -> null).get(5, TimeUnit.SECONDS);

    assertThat(outcome).isInstanceOf(Retuner.Failed.class);
    assertThat(outcome.render()).contains("did not reach a safe point within 5 s");
    assertThat(tcpCalls).isEmpty();
    assertThat(retuner.current()).isEqualTo(Config.defaults());
  }

  @Test
  void aRefusedChangeNamesKeyValueAndRuleAndIsAnnounced() {
    TunablesBean tunables = new TunablesBean(retuner(), JmxAgent.name("type=Tunables"));
    List<Notification> notifications = new ArrayList<>();
    tunables.emitter().addNotificationListener((n, h) -> notifications.add(n), null, null);

    assertThatThrownBy(() -> tunables.setTcpMaxConnections(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "refused, nothing changed: io.tcp.maxConnections: value 0 is out of range — must be"
                + " between 1 and 16384");
    assertThat(notifications)
        .singleElement()
        .satisfies(n -> assertThat(n.getType()).isEqualTo("dev.ringway.retune.failed"));
    assertThat(tcpCalls).isEmpty();
  }

  @Test
  void anAppliedChangeIsAnnouncedPerAttribute() {
    TunablesBean tunables = new TunablesBean(retuner(), JmxAgent.name("type=Tunables"));
    List<Notification> notifications = new ArrayList<>();
    tunables.emitter().addNotificationListener((n, h) -> notifications.add(n), null, null);

    tunables.apply(Map.of("io.tcp.maxConnections", "100", "io.tcp.socketBuffer", "64KiB"));

    assertThat(notifications)
        .map(n -> (AttributeChangeNotification) n)
        .extracting(
            AttributeChangeNotification::getAttributeName,
            AttributeChangeNotification::getOldValue,
            AttributeChangeNotification::getNewValue)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("TcpSocketBufferBytes", 262144, 65536),
            org.assertj.core.groups.Tuple.tuple("TcpMaxConnections", 256, 100));
  }

  @Test
  void reloadAppliesTheLiveChangesAndNamesThoseThatNeedARestart() {
    Retuner retuner = retuner();
    TunablesBean tunables = new TunablesBean(retuner, JmxAgent.name("type=Tunables"));
    ConfigOutcome reloaded =
        ConfigLoader.load(
            null, Map.of("io.tcp.maxConnections", "64", "network.mtu", "1400"), Role.SERVER);

    String result = JmxAgent.reload(() -> reloaded, retuner, tunables, null);

    assertThat(result)
        .startsWith("applied io.tcp.maxConnections 256 → 64")
        .endsWith("; needs a restart, not applied: network.mtu: 1350 → 1400");
    assertThat(retuner.current().network().mtu()).isEqualTo(1350);
    assertThat(tcpCalls).containsExactly("maxConnections 64");
  }
}
