package dev.ringway.packaging;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A long-running command (the packaged server or client) whose output is kept for assertions. */
final class RunningProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final Thread reader;

  private RunningProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.reader =
        Thread.ofVirtual()
            .start(() -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  output.append(line).append('\n');
                }
              } catch (IOException e) {
                output.append("<output lost: ").append(e).append(">\n");
              }
            });
  }

  /**
   * Starts {@code command} with SIGHUP at its default disposition, whatever this JVM inherited: a
   * suite started under {@code nohup} would otherwise pass "ignored" on, and the JVM never installs
   * a handler for an ignored SIGHUP (the reload test would wait in vain).
   */
  static RunningProcess start(String name, List<String> command) {
    List<String> withHup = new ArrayList<>(List.of("env", "--default-signal=HUP"));
    withHup.addAll(command);
    try {
      Process process = new ProcessBuilder(withHup).redirectErrorStream(true).start();
      process.getOutputStream().close();
      return new RunningProcess(name, process);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  String output() {
    return output.toString();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /**
   * Sends SIGTERM and returns the exit code, or -1 when it had to be killed after {@code limit}.
   */
  int stop(Duration limit) throws InterruptedException {
    process.destroy();
    if (process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      reader.join(2000);
      return process.exitValue();
    }
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    reader.join(2000);
    return -1;
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        stop(Duration.ofSeconds(10));
      } else {
        reader.join(2000);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + " output:\n" + output;
  }
}
