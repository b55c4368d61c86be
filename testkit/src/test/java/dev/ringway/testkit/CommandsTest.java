package dev.ringway.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandsTest {

  @Test
  void capturesExitCodeAndOutput() {
    Commands.Result result = Commands.run("sh", "-c", "echo out; echo err >&2; exit 3");
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.output()).contains("out").contains("err");
  }

  @Test
  void killsACommandThatOutlivesItsLimit() {
    long start = System.nanoTime();
    Commands.Result result = Commands.run(Duration.ofMillis(200), List.of("sleep", "30"));
    assertThat(result.exitCode()).isEqualTo(-1);
    assertThat(result.output()).contains("timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void orThrowCarriesTheOutput() {
    assertThatThrownBy(() -> Commands.run("sh", "-c", "echo broken; exit 1").orThrow())
        .hasMessageContaining("exited 1")
        .hasMessageContaining("broken");
  }

  @Test
  void whichFindsShellAndNotNonsense() {
    assertThat(Commands.which("sh")).isPresent();
    assertThat(Commands.which("no-such-program-ringway")).isEmpty();
  }
}
