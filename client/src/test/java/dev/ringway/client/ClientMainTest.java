package dev.ringway.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's answers to configurations it cannot run with: exit 2, every error printed. */
class ClientMainTest {
  @TempDir Path dir;

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return ClientMain.commandLine().setErr(new PrintWriter(err, true)).execute(args);
  }

  @Test
  void aClientWithoutServerTrustOrCredentialsGetsAllThreeErrors() {
    int code = run();

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("server: missing")
        .contains("tls.ca: missing")
        .contains("auth.user: missing");
  }

  @Test
  void errorsInTheFileNameTheirLineAndKey() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("client.yaml"),
            """
            server: 192.0.2.1:27690
            tls: { insecure: true }
            auth: { tokenFile: missing.jwt }
            keepalive:
              interval: 5 fortnights
            """);

    int code = run("-c", file.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains(file + ":3:")
        .contains("auth.tokenFile")
        .contains(file + ":5:")
        .contains("keepalive.interval");
  }

  @Test
  void aSetOverrideIsCheckedLikeTheFile() {
    int code =
        run(
            "--set", "server=192.0.2.1:27690",
            "--set", "tls.insecure=true",
            "--set", "auth.user=alice",
            "--set", "io.tun.rxSlots=minus one");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("auth.passwordFile").contains("io.tun.rxSlots");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    int code = run("--frobnicate");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown option").contains("Usage: ringway client");
  }
}
