package dev.ringway.server.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringway.testkit.NetnsTest;
import java.nio.file.Path;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server whose JMX port is reachable from outside without logins: refused, or loudly allowed. */
@NetnsTest
class JmxExposureTest {

  /** The configuration rules refuse it first; {@code JmxConnector} refuses it again on its own. */
  @Test
  void aNonLoopbackBindWithoutUsersRefusesToStart(@TempDir Path dir) {
    assertThatThrownBy(() -> LiveServer.start(dir, "udp", false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the server exited")
        .hasMessageContaining("jmx.bind: value 10.252.")
        .hasMessageContaining("is not a loopback address, so JMX needs jmx.users")
        .hasMessageContaining("jmx.insecure: true");
  }

  @Test
  void withInsecureItStartsAndWarnsThatAnyoneCanRetune(@TempDir Path dir) throws Exception {
    try (LiveServer server = LiveServer.start(dir, "udp", false, "jmx.insecure=true");
        JMXConnector anyone = server.connect(null, null)) {
      assertThat(server.log())
          .containsPattern("WARN .*JMX on 10\\.252\\.\\d+\\.2:27691 WITHOUT AUTHENTICATION");
      assertThat(
              anyone
                  .getMBeanServerConnection()
                  .getAttribute(new ObjectName("dev.ringway:type=Server"), "State"))
          .isEqualTo("running");
    }
  }
}
