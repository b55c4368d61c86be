package dev.ringway.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs external commands (ip, ping, openssl …) from tests, bounded in time. */
public final class Commands {
  private Commands() {}

  /** The result of a finished command. */
  public record Result(List<String> command, int exitCode, String output) {
    /** Returns this result, or throws with the command's output when it did not exit 0. */
    public Result orThrow() {
      if (exitCode != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited " + exitCode + ":\n" + output);
      }
      return this;
    }
  }

  /** Runs {@code command}, merging stderr into the output, killing it after {@code timeout}. */
  public static Result run(Duration timeout, List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      byte[][] output = new byte[1][];
      Thread reader =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  output[0] = process.getInputStream().readAllBytes();
                } catch (IOException e) {
                  output[0] = ("<output lost: " + e + ">").getBytes(StandardCharsets.UTF_8);
                }
              });
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        reader.join(1000);
        return new Result(command, -1, "timed out after " + timeout);
      }
      reader.join();
      return new Result(
          command, process.exitValue(), new String(output[0], StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(command, -1, "could not start: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(command, -1, "interrupted");
    }
  }

  /** Runs {@code command} with a 30-second limit. */
  public static Result run(String... command) {
    return run(Duration.ofSeconds(30), List.of(command));
  }

  /** Where {@code program} is on the {@code PATH}, if anywhere. */
  public static Optional<Path> which(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
