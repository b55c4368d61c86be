package dev.ringway.server.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.Await;
import dev.ringway.testkit.NetnsTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History and alerts of a real server, read by a real JMX client: a rule on udp.rx packets per
 * second fires while the test sends datagrams to the server and clears when it stops; a reload adds
 * and removes rules; the history holds the recent ticks in order and wraps at its capacity.
 */
@NetnsTest
class AlertsLiveTest {
  private static final ObjectName ALERTS = JmxAgent.name("type=Alerts");
  private static final ObjectName HISTORY = JmxAgent.name("type=History");

  @Test
  void aRuleFiresUnderTrafficAndClearsAfterAndTheHistoryWraps(@TempDir Path dir) throws Exception {
    try (LiveServer server = LiveServer.start(dir, "udp", true, "history.retention=10s");
        JMXConnector jmx = server.connect(LiveServer.MONITOR, LiveServer.MONITOR_PASSWORD)) {
      MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
      AlertsMXBean alerts = JMX.newMXBeanProxy(mbeans, ALERTS, AlertsMXBean.class);
      HistoryMXBean history = JMX.newMXBeanProxy(mbeans, HISTORY, HistoryMXBean.class);
      List<Notification> notifications = new CopyOnWriteArrayList<>();
      mbeans.addNotificationListener(ALERTS, (n, h) -> notifications.add(n), null, null);

      assertThat(alerts.getRules()).isEmpty();
      assertThat(history.getCapacity()).as("10s at the LiveServer's 250ms").isEqualTo(40);
      assertThat(server.log()).contains("history: 40 samples (10 s at 250 ms), 392 bytes each");

      // Rules come with a reload of the file, as an operator adds them.
      Path file = dir.resolve("server.yaml");
      String original = Files.readString(file);
      Files.writeString(
          file,
          original
              + "alerts:\n"
              + "  - name: udp-rx-busy\n"
              + "    figure: path.udp.rx.packetsPerSecond\n"
              + "    above: 20\n"
              + "    for: 1s\n");
      server.signal("HUP");
      Await.until(
          "the rule to be in force (log: " + server.log() + ")",
          Duration.ofSeconds(20),
          () -> alerts.getRules().length == 1);
      assertThat(alerts.getRules())
          .containsExactly("udp-rx-busy: path.udp.rx.packetsPerSecond above 20 for 1s");
      assertThat(server.log()).contains("alert rules replaced");
      assertThat(alerts.getActive()).isEmpty();

      Await.until(
          "the alert raised while datagrams arrive (log: " + server.log() + ")",
          Duration.ofSeconds(30),
          () -> {
            // 100 datagrams a round into the server's UDP port from inside its namespace.
            server
                .netns
                .exec(
                    "bash",
                    "-c",
                    "for i in $(seq 200); do echo junk > /dev/udp/127.0.0.1/27690; done")
                .orThrow();
            return notifications.stream().anyMatch(n -> n.getType().equals(AlertsBean.RAISED));
          });
      assertThat(alerts.getActive()).extracting(AlertsMXBean.Alert::name).contains("udp-rx-busy");
      assertThat(notifications.getFirst().getMessage())
          .startsWith("alert udp-rx-busy raised: path.udp.rx.packetsPerSecond = ")
          .endsWith(", above 20 for 1s");
      assertThat(notifications.getFirst().getSource()).isEqualTo(ALERTS);

      Await.until(
          "the alert cleared once the datagrams stop",
          Duration.ofSeconds(20),
          () -> notifications.stream().anyMatch(n -> n.getType().equals(AlertsBean.CLEARED)));
      assertThat(alerts.getActive()).isEmpty();
      assertThat(alerts.getHistory())
          .extracting(AlertsMXBean.Event::type)
          .containsExactly("raised", "cleared");
      assertThat(server.log())
          .contains("alert udp-rx-busy raised: path.udp.rx.packetsPerSecond = ")
          .contains("alert udp-rx-busy cleared: path.udp.rx.packetsPerSecond = ");

      // The history: ticks in order, the packets the test sent, wrapped at 40 samples.
      Await.until("the history to wrap", Duration.ofSeconds(30), () -> history.getSize() == 40);
      long newest = history.getNewest();
      HistoryMXBean.Sample[] all = history.range(0, Long.MAX_VALUE, 1000);
      assertThat(all.length).isBetween(39, 40);
      long[] epochs = Arrays.stream(all).mapToLong(HistoryMXBean.Sample::epochMillis).toArray();
      for (int i = 1; i < epochs.length; i++) {
        assertThat(epochs[i]).isGreaterThan(epochs[i - 1]);
        assertThat(all[i].monotonicNanos()).isGreaterThan(all[i - 1].monotonicNanos());
      }
      assertThat(epochs[epochs.length - 1]).isGreaterThanOrEqualTo(newest);
      assertThat(history.getOldest()).isGreaterThanOrEqualTo(epochs[0] - 1000);
      assertThat(newest - epochs[0]).as("10 s of ticks kept, no more").isLessThan(11_000);
      assertThat(all[all.length - 1].paths().get(2).path()).isEqualTo("udp.rx");
      assertThat(all[all.length - 1].paths().get(2).packets()).isGreaterThanOrEqualTo(100);
      HistoryMXBean.Sample[] thinned = history.range(0, Long.MAX_VALUE, 5);
      assertThat(thinned).hasSize(5);
      assertThat(thinned[0].epochMillis()).isLessThan(thinned[4].epochMillis());

      // Every metric the Prometheus alerting rules use is one this server's exporter shows.
      String metrics =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(
                              "http://"
                                  + server.address
                                  + ":"
                                  + LiveServer.METRICS_PORT
                                  + "/metrics"))
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      java.util.regex.Matcher used =
          java.util.regex.Pattern.compile("\\b((ringway|jvm)_[a-z_]+)[\\[{ ]")
              .matcher(
                  Files.readString(Path.of("src/main/resources/prometheus/ringway-alerts.yaml"))
                      .replaceAll("#.*", ""));
      int names = 0;
      while (used.find()) {
        names++;
        assertThat(metrics).as(used.group(1)).containsPattern("(?m)^" + used.group(1) + "[{ ]");
      }
      assertThat(names).isGreaterThanOrEqualTo(7);

      // A reload replaces the rules.
      Files.writeString(
          file,
          original + "alerts:\n  - { name: heap, figure: jvm.heapUsedBytes, above: 1, for: 0s }\n");
      server.signal("HUP");
      Await.until(
          "the reloaded heap rule to raise (log: " + server.log() + ")",
          Duration.ofSeconds(20),
          () -> Arrays.stream(alerts.getActive()).anyMatch(a -> a.name().equals("heap")));
      assertThat(alerts.getRules()).containsExactly("heap: jvm.heapUsedBytes above 1 for 0s");
      assertThat(server.log()).contains("alert heap raised: jvm.heapUsedBytes = ");
    }
  }
}
