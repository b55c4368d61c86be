package dev.ringway.console.link;

import dev.ringway.testkit.Await;
import dev.ringway.testkit.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Ringway client in a subprocess, in a namespace of its own linked to a {@link
 * LiveServer}'s, logged in as the server's generated {@code demo} user. Its first reconnect waits a
 * minute, so a client the server sent away stays away for the rest of a test.
 */
public final class LiveClient implements AutoCloseable {
  /** The user the client authenticates as: the demo user the server generates on first start. */
  public static final String USER = "demo";

  private final Netns netns;
  private final String outsideIp;
  private final Path log;
  private final Process process;

  private LiveClient(Netns netns, String outsideIp, Path log, Process process) {
    this.netns = netns;
    this.outsideIp = outsideIp;
    this.log = log;
    this.process = process;
  }

  static LiveClient start(Netns server, Path stateDir, Path log, String serverIp, String clientIp)
      throws IOException {
    Netns netns = Netns.create("cli");
    try {
      netns.link(server, clientIp, serverIp);
      List<String> command =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "--enable-native-access=ALL-UNNAMED",
              "-cp",
              System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
              "dev.ringway.client.ClientMain",
              "--set",
              "server=" + serverIp + ":27690",
              "--set",
              "tls.ca=" + stateDir.resolve("server.crt"),
              "--set",
              "auth.user=" + USER,
              "--set",
              "auth.passwordFile=" + stateDir.resolve("demo.pass"),
              "--set",
              "reconnect.initialBackoff=1m",
              "--set",
              "reconnect.maxBackoff=1m");
      Process process =
          netns
              .processBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new LiveClient(netns, clientIp, log, process);
    } catch (IOException | RuntimeException e) {
      netns.close();
      throw e;
    }
  }

  /** Waits until the client says it is online (it has its inside address from the server). */
  public void awaitOnline() {
    Await.until(
        "the client to come online (log: " + log + ")",
        Duration.ofSeconds(60),
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("the client exited:\n" + output());
          }
          return output().contains("online over");
        });
  }

  /**
   * Whether the client has said that the server ended its session: "the server said Goodbye", or
   * "the server closed the session" when it read the server's close_notify without the Goodbye
   * before it (seen once against {@code ./ringway demo}); a keepalive timeout is neither.
   */
  public boolean sentAway() {
    String output = output();
    return output.contains("the server said Goodbye")
        || output.contains("the server closed the session");
  }

  /** Waits until {@link #sentAway()}; a failure shows what the client wrote instead. */
  public void awaitSentAway() {
    try {
      Await.until(
          "the client to hear the server end its session", Duration.ofSeconds(20), this::sentAway);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; the client wrote:\n" + output(), e);
    }
  }

  /** The client's outside address, as the server sees it (without the port). */
  public String outsideIp() {
    return outsideIp;
  }

  /** What the client has written so far. */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    netns.close();
  }
}
