package dev.ringway.server.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringway.testkit.Await;
import dev.ringway.testkit.NetnsTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live reload of the configuration file: SIGHUP and {@code Server.reload()} apply changed live
 * tunables through the same path as a JMX write, report restart-only keys and leave them alone, and
 * an invalid file changes nothing.
 */
@NetnsTest
class ReloadTest {

  @Test
  void sighupAppliesLiveKeysReportsRestartOnlyOnesAndRefusesAnInvalidFile(@TempDir Path dir)
      throws Exception {
    try (LiveServer server = LiveServer.start(dir);
        JMXConnector jmx = server.connect(LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD)) {
      MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
      TunablesMXBean tunables =
          JMX.newMXBeanProxy(
              mbeans, new ObjectName("dev.ringway:type=Tunables"), TunablesMXBean.class);
      Path file = dir.resolve("server.yaml");
      String original = Files.readString(file);

      Files.writeString(
          file, original.replace("mode: udp", "mode: tcp") + "io: { tun: { rxSlots: 48 } }\n");
      server.signal("HUP");

      Await.until(
          "the reload to be logged: " + server.log(),
          Duration.ofSeconds(15),
          () -> server.log().contains("SIGHUP: reload:"));
      assertThat(tunables.getTunRxSlots()).isEqualTo(48);
      assertThat(server.log())
          .contains("io.tun.rxSlots 64 → 48")
          .contains("needs a restart, not applied: mode: udp → tcp");

      java.util.List<javax.management.Notification> failures =
          new java.util.concurrent.CopyOnWriteArrayList<>();
      mbeans.addNotificationListener(
          new ObjectName("dev.ringway:type=Tunables"),
          (notification, handback) -> {
            if (notification.getType().equals("dev.ringway.retune.failed")) {
              failures.add(notification);
            }
          },
          null,
          null);
      Files.writeString(file, original + "io: { tun: { rxSlots: 0 } }\n");
      server.signal("HUP");

      Await.until(
          "the refusal to be logged: " + server.log(),
          Duration.ofSeconds(15),
          () -> server.log().contains("SIGHUP: reload refused"));
      assertThat(server.log()).contains("io.tun.rxSlots: value 0 is out of range");
      assertThat(tunables.getTunRxSlots()).as("an invalid file changes nothing").isEqualTo(48);
      Await.until(
          "a retune.failed notification for the invalid file",
          Duration.ofSeconds(10),
          () ->
              failures.stream()
                  .anyMatch(
                      n -> n.getMessage().contains("io.tun.rxSlots: value 0 is out of range")));

      Files.writeString(file, original + "io: { udp: { rxSlots: 16 } }\n");
      ServerMXBean bean =
          JMX.newMXBeanProxy(mbeans, new ObjectName("dev.ringway:type=Server"), ServerMXBean.class);
      assertThat(bean.reload()).contains("io.udp.rxSlots 32 → 16");
      assertThat(tunables.getUdpRxSlots()).isEqualTo(16);

      Files.writeString(file, "mode: [");
      assertThatThrownBy(bean::reload).hasMessageContaining("the file is invalid, nothing changed");
    }
  }
}
