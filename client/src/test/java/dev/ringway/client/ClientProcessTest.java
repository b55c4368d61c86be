package dev.ringway.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.core.conn.DisconnectReason;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.Commands;
import dev.ringway.testkit.Netns;
import dev.ringway.testkit.NetnsTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ringway client} as a process of its own in a test namespace, against the {@link
 * UdpHarness} server: how it ends on a signal, and what it says when it lacks a capability.
 */
@NetnsTest
class ClientProcessTest {
  private static final Duration START = Duration.ofSeconds(30);

  @TempDir static Path dir;
  static TestPki pki;

  Netns netns;
  UdpHarness harness;
  Process process;
  Path log;

  @BeforeAll
  static void credentials() throws Exception {
    pki = new TestPki(dir);
  }

  @BeforeEach
  void namespaceAndServer() throws Exception {
    netns = Netns.create("clientproc");
    harness = UdpHarness.start(pki, netns.name(), 0);
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    harness.close();
    netns.close();
  }

  @Test
  void sigtermSaysGoodbyeAndExitsZero() throws Exception {
    process = startOnline();

    process.destroy(); // SIGTERM

    assertCleanExit("SIGTERM");
  }

  @Test
  void sigintSaysGoodbyeAndExitsZero() throws Exception {
    process = startOnline();

    Commands.run("kill", "-INT", String.valueOf(process.pid())).orThrow();

    assertCleanExit("SIGINT");
  }

  @Test
  void withoutCapNetAdminItSaysWhatIsMissingAndExitsOne() throws Exception {
    process = start(List.of("setpriv", "--bounding-set", "-net_admin", "--inh-caps", "-all"));

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as("exit code; output:%n%s", output()).isEqualTo(1);
    assertThat(output()).contains("CAP_NET_ADMIN");
  }

  private Process startOnline() throws Exception {
    Process started = start(List.of());
    Await.until(
        "the client process online at the harness",
        START,
        () -> harness.server.onlineCount.get() == 1 || !started.isAlive());
    assertThat(started.isAlive()).as("client running; its output:%n%s", output()).isTrue();
    return started;
  }

  private void assertCleanExit(String signal) throws Exception {
    long signalled = System.nanoTime();
    boolean exited = process.waitFor(2, TimeUnit.SECONDS);
    long millis = (System.nanoTime() - signalled) / 1_000_000;

    assertThat(exited).as("exited within 2 s of " + signal).isTrue();
    assertThat(process.exitValue()).as("exit code; output:%n%s", output()).isZero();
    Await.until(
        "the harness to receive the Goodbye",
        Duration.ofSeconds(5),
        () -> harness.server.endings.contains(DisconnectReason.GOODBYE));
    System.out.println(signal + " to exit: " + millis + " ms");
  }

  private Process start(List<String> prefix) throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("client-" + netns.name() + ".yaml"),
            """
            server: 127.0.0.1:%d
            tls: { ca: %s }
            auth: { user: alice, passwordFile: %s }
            network: { tun: rwtun0 }
            io: { ring: { entries: 128 }, tun: { rxSlots: 8 }, udp: { rxSlots: 4 }, tx: { slots: 64 } }
            """
                .formatted(harness.address().getPort(), pki.certificate, pki.password));
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(prefix);
    command.addAll(
        List.of(
            ProcessHandle.current().info().command().orElseThrow(),
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            classpath,
            ClientMain.class.getName(),
            "-c",
            config.toString()));
    log = dir.resolve("client-" + netns.name() + ".log");
    return netns
        .processBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private String output() {
    try {
      return Files.readString(log);
    } catch (Exception e) {
      return "<no output: " + e + ">";
    }
  }
}
