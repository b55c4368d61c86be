package dev.ringway.server.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.Await;
import dev.ringway.testkit.NetnsTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In tcp mode the two TCP tunables reach the TCP side live, and the UDP ones are only recorded. */
@NetnsTest
class TcpModeTunablesTest {
  private static final ObjectName TUNABLES = JmxAgent.name("type=Tunables");
  private static final ObjectName ACCEPT = JmxAgent.name("type=Path,name=tcp.accept");

  @TempDir Path dir;

  @Test
  void tcpTunablesApplyLiveAndUdpOnesAreOnlyRecorded() throws Exception {
    try (LiveServer server = LiveServer.start(dir, "tcp");
        JMXConnector operator = server.connect(LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD)) {
      MBeanServerConnection jmx = operator.getMBeanServerConnection();
      TunablesMXBean tunables = JMX.newMXBeanProxy(jmx, TUNABLES, TunablesMXBean.class);

      String tcp =
          tunables.apply(Map.of("io.tcp.maxConnections", "17", "io.tcp.socketBuffer", "64KiB"));
      String udp = tunables.apply(Map.of("io.udp.rxSlots", "7"));

      assertThat(tcp)
          .contains("io.tcp.maxConnections 256 → 17", "io.tcp.socketBuffer 256KiB → 64KiB")
          .doesNotContain("recorded only");
      Await.until(
          "tcp.accept Slots = 17",
          Duration.ofSeconds(10),
          () -> {
            try {
              return jmx.getAttribute(ACCEPT, "Slots").equals(17);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      assertThat(udp).contains("io.udp.* recorded only, this server runs in tcp mode");
      assertThat(tunables.getUdpRxSlots()).isEqualTo(7);
      assertThat(tunables.getTcpMaxConnections()).isEqualTo(17);
    }
  }
}
