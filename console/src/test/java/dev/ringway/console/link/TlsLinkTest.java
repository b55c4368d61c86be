package dev.ringway.console.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.NetnsTest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The link to a server whose JMX connector speaks TLS ({@code jmx.tls}): with the server's
 * certificate in a trust store it logs in and samples; in plain RMI it fails with a cause, at once.
 * The trust store goes into the JVM-wide {@code javax.net.ssl} properties (see {@link ClientTls}).
 */
@NetnsTest
class TlsLinkTest {
  @TempDir static Path dir;
  private static LiveServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = LiveServer.startWithTls(dir);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void trustingTheServersCertificateTheLinkLogsInOverTlsAndSamples() {
    Profile tls =
        new Profile(
            "tls",
            server.hostPort(),
            LiveServer.OPERATOR,
            LiveServer.OPERATOR_PASSWORD,
            true,
            server.trustStore(),
            LiveServer.TRUST_STORE_PASSWORD);
    Recorder recorder = new Recorder();

    try (ServerLink link = ServerLink.open(tls, recorder)) {
      LinkState.Connected connected = recorder.awaitState(LinkState.Connected.class);

      assertThat(connected.role()).isEqualTo(Role.OPERATOR);
      recorder.awaitRates(rates -> !rates.paths().isEmpty(), "a rate from two samples over TLS");
    }
  }

  @Test
  void plainRmiToATlsConnectorFailsWithTheCause() {
    Recorder recorder = new Recorder();

    try (ServerLink link =
        ServerLink.open(
            server.profile(LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD), recorder)) {
      LinkState.Failed failed = recorder.awaitState(LinkState.Failed.class);

      assertThat(failed.cause()).isNotBlank();
      assertThat(recorder.states).noneMatch(LinkState.Connected.class::isInstance);
    }
  }
}
