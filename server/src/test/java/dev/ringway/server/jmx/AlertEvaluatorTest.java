package dev.ringway.server.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.config.Config;
import dev.ringway.loop.LoopSnapshot;
import dev.ringway.loop.PathName;
import dev.ringway.loop.PathStats;
import dev.ringway.loop.RingFigures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.Notification;
import org.junit.jupiter.api.Test;

/**
 * The rules against ticks fed through the history as the loop feeds it: raised once the condition
 * held for the rule's duration, cleared when it stops, cleared when a reload removes the rule.
 */
class AlertEvaluatorTest {
  private static final long SECOND = 1_000_000_000L;

  private final AlertsBean bean = new AlertsBean(JmxAgent.name("type=Alerts"));
  private final List<Notification> notifications = new CopyOnWriteArrayList<>();

  AlertEvaluatorTest() {
    bean.emitter().addNotificationListener((n, h) -> notifications.add(n), null, null);
  }

  /** A tick at {@code seconds} with {@code eagain} on tun.rx and the given ring figures. */
  private static LoopSnapshot tick(double seconds, long eagain, long cqOverflows) {
    long nanos = (long) (seconds * SECOND);
    List<PathStats> paths = new ArrayList<>();
    for (PathName path : PathName.values()) {
      paths.add(
          new PathStats(
              path, 64, 7, 9, 100, 97, 0, 0, path == PathName.TUN_RX ? eagain : 0, 0, 0, 0));
    }
    return new LoopSnapshot(
        nanos,
        1_700_000_000_000L + nanos / 1_000_000L,
        new RingFigures(1024, 2048, 0, 0, 10, 20, cqOverflows, 0, 5000),
        paths);
  }

  private static Config.AlertRule rule(String name, String figure, Double above, Double below) {
    return new Config.AlertRule(name, figure, above, below, Duration.ofSeconds(2));
  }

  private List<String> types() {
    return notifications.stream().map(Notification::getType).toList();
  }

  @Test
  void eagainAboveTheThresholdForTheDurationRaisesAndClears() {
    AlertEvaluator evaluator =
        new AlertEvaluator(
            bean,
            new CpuTimes(),
            List.of(rule("tun-rx-eagain", "path.tun.rx.eagainPerSecond", 100.0, null)));
    SnapshotHistory[] history = new SnapshotHistory[1];
    history[0] = new SnapshotHistory(100, () -> evaluator.evaluate(history[0].newestSequence()));
    // watch() is not called: evaluating on the feeding thread makes the ticks' order exact.
    setHistory(evaluator, history[0]);

    long eagain = 0;
    for (int i = 0; i <= 8; i++) {
      history[0].add(tick(i * 0.5, eagain, 0));
      eagain += 250; // 500 per second
      if (i < 5) {
        assertThat(types()).as("at %s s the condition has held < 2 s", i * 0.5).isEmpty();
      }
    }
    assertThat(types()).containsExactly(AlertsBean.RAISED);
    assertThat(notifications.getFirst().getMessage())
        .isEqualTo(
            "alert tun-rx-eagain raised: path.tun.rx.eagainPerSecond = 500, above 100 for 2s");
    assertThat(bean.getActive()).hasSize(1);
    assertThat(bean.getActive()[0].name()).isEqualTo("tun-rx-eagain");
    assertThat(bean.getActive()[0].value()).isEqualTo(500.0);

    for (int i = 9; i <= 12; i++) {
      history[0].add(tick(i * 0.5, eagain, 0));
    }
    assertThat(types()).containsExactly(AlertsBean.RAISED, AlertsBean.CLEARED);
    assertThat(bean.getActive()).isEmpty();
    assertThat(bean.getHistory())
        .extracting(AlertsMXBean.Event::type)
        .containsExactly("raised", "cleared");
    assertThat(bean.getRules())
        .containsExactly("tun-rx-eagain: path.tun.rx.eagainPerSecond above 100 for 2s");
  }

  @Test
  void aReloadThatRemovesAnActiveRuleClearsIt() {
    Config.AlertRule below = rule("overflow-quiet", "ring.cqOverflowsPerSecond", null, 1.0);
    Config.AlertRule inFlight = rule("in-flight", "path.udp.rx.inFlight", 5.0, null);
    AlertEvaluator evaluator = new AlertEvaluator(bean, new CpuTimes(), List.of(below, inFlight));
    SnapshotHistory history = new SnapshotHistory(100, () -> {});
    setHistory(evaluator, history);
    for (int i = 0; i <= 6; i++) {
      history.add(tick(i * 0.5, 0, 0));
      evaluator.evaluate(history.newestSequence());
    }
    assertThat(bean.getActive())
        .extracting(AlertsMXBean.Alert::name)
        .containsExactlyInAnyOrder("overflow-quiet", "in-flight");

    evaluator.replace(List.of(inFlight));

    assertThat(bean.getActive()).extracting(AlertsMXBean.Alert::name).containsExactly("in-flight");
    assertThat(notifications.getLast().getType()).isEqualTo(AlertsBean.CLEARED);
    assertThat(notifications.getLast().getMessage())
        .isEqualTo("alert overflow-quiet cleared: the rule was removed or changed by a reload");
    assertThat(bean.getRules()).containsExactly("in-flight: path.udp.rx.inFlight above 5 for 2s");
  }

  @Test
  void everyConfiguredFigureHasAReaderAndThePathsAreTheLoops() {
    assertThat(Config.AlertRule.PATHS)
        .containsExactlyElementsOf(
            java.util.Arrays.stream(PathName.values()).map(PathName::key).toList());
    for (String figure : Config.AlertRule.FIGURES) {
      assertThat(AlertEvaluator.Figure.of(figure)).as(figure).isNotNull();
    }
  }

  private static void setHistory(AlertEvaluator evaluator, SnapshotHistory history) {
    evaluator.useHistory(history);
  }
}
