package dev.ringway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckTest {

  @TempDir Path dir;

  @Test
  void aValidFileExitsZeroAndSaysWhichRoleItWasCheckedFor() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("client.yaml"),
            "server: 192.0.2.1:27690\ntls: { insecure: true }\nauth: { tokenFile: client.yaml }\n");

    ConfigCheck.Result result = ConfigCheck.check(file, Map.of(), null, name -> null);

    assertThat(result)
        .isEqualTo(
            new ConfigCheck.Result(0, java.util.List.of(file + ": valid client configuration")));
  }

  @Test
  void setOverridesAreCheckedWithTheFile() throws IOException {
    Path file = Files.writeString(dir.resolve("server.yaml"), "mode: tcp\n");

    ConfigCheck.Result result =
        ConfigCheck.check(
            file, Map.of("io.tcp.maxConnections", "100000"), Role.SERVER, name -> null);

    assertThat(result.exitCode()).isEqualTo(ConfigCheck.INVALID);
    assertThat(result.lines())
        .containsExactly(
            "--set io.tcp.maxConnections=100000: io.tcp.maxConnections: value 100000 is out of range"
                + " — must be between 1 and 16384",
            file + ": 1 error (checked as a server configuration)");
  }

  @Test
  void aValueSpanningLinesIsShownEscapedOnOneLine() throws IOException {
    Path file = Files.writeString(dir.resolve("server.yaml"), "mode: |\n  udp\n");

    ConfigCheck.Result result = ConfigCheck.check(file, Map.of(), Role.SERVER, name -> null);

    assertThat(result.lines().getFirst())
        .isEqualTo(
            file + ":1:1: mode: value \"udp\\n\" is not one of udp, tcp — did you mean `udp`?");
  }
}
