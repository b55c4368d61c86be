package dev.ringway.console.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A server that accepts and never answers (a stopped process, something that is not RMI) makes the
 * link fail with the reason within {@link ServerLink#ANSWER_TIMEOUT}, not hang for RMI's minute.
 */
class SilentServerTest {
  @Test
  void aServerThatNeverAnswersFailsTheConnectionWithATimeout() throws Exception {
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(() -> {
            try {
              while (true) {
                held.add(silent.accept());
              }
            } catch (IOException closed) {
              // The test is over.
            }
          });
      Recorder recorder = new Recorder();

      try (ServerLink link =
          ServerLink.open(Profile.of("127.0.0.1:" + silent.getLocalPort()), recorder)) {
        LinkState.Failed failed = recorder.awaitState(LinkState.Failed.class);

        assertThat(failed.cause()).containsIgnoringCase("timed out");
        assertThat(held).isNotEmpty();
      }
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }
}
