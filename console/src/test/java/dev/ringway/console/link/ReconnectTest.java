package dev.ringway.console.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.NetnsTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link survives a server restart: it reconnects on its own and samples go on. */
@NetnsTest
class ReconnectTest {
  @Test
  void whenTheServerRestartsTheLinkReconnectsAndSamplingGoesOn(@TempDir Path dir) throws Exception {
    Recorder recorder = new Recorder();
    try (LiveServer server = LiveServer.start(dir);
        ServerLink link =
            ServerLink.open(
                server.profile(LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD), recorder)) {
      recorder.awaitState(LinkState.Connected.class);
      recorder.awaitRates(r -> true, "a first rate");
      Sample beforeRestart = recorder.samples.getLast();

      server.stopProcess();
      LinkState.Reconnecting reconnecting = recorder.awaitState(LinkState.Reconnecting.class);
      recorder.states.clear();
      server.startProcess();
      recorder.awaitState(LinkState.Connected.class);
      recorder.awaitEvent(
          e -> e.message().contains("the server restarted"), "the link noticing the restart");
      Sample afterRestart = recorder.samples.getLast();
      Rates resumed =
          recorder.awaitRates(
              r -> r.epochMillis() > afterRestart.epochMillis(), "rates after the restart");

      assertThat(reconnecting.cause()).isNotBlank();
      assertThat(afterRestart.startTime()).isGreaterThan(beforeRestart.startTime());
      assertThat(resumed.epochMillis()).isGreaterThan(beforeRestart.epochMillis());
      assertThat(recorder.events)
          .extracting(ServerEvent::message)
          .anyMatch(m -> m.startsWith("lost the server"))
          .anyMatch(m -> m.startsWith("reconnected to"));
    }
  }
}
