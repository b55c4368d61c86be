package dev.ringway.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A Ringway server or client running as its own JVM, with its output kept for assertions. */
public final class Process implements AutoCloseable {
  private final String name;
  private final java.lang.Process process;
  private final StringBuffer output = new StringBuffer();
  private final Thread reader;

  private Process(String name, java.lang.Process process) {
    this.name = name;
    this.process = process;
    // A platform thread: a virtual one would hold a carrier while blocked on the pipe, and with a
    // server and a client running, two readers can take every carrier of a two-core machine and
    // starve the virtual threads Commands.run reads a command's output with (a ping then hangs).
    this.reader =
        Thread.ofPlatform()
            .daemon(true)
            .name("output-" + name)
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

  /** Starts {@code mainClass} with {@code args} in {@code netns} on this JVM's classpath. */
  static Process start(String name, String netns, String mainClass, List<String> args) {
    return start(name, netns, List.of(), mainClass, args);
  }

  /** As {@link #start(String, String, String, List)}, with extra JVM options. */
  static Process start(
      String name, String netns, List<String> jvmOptions, String mainClass, List<String> args) {
    return start(name, netns, List.of(), jvmOptions, mainClass, args);
  }

  /**
   * As {@link #start(String, String, List, String, List)}, with the JVM started through {@code
   * wrapper} (a command such as {@code setpriv …} that execs what follows it) inside the namespace.
   */
  static Process start(
      String name,
      String netns,
      List<String> wrapper,
      List<String> jvmOptions,
      String mainClass,
      List<String> args) {
    List<String> command = new ArrayList<>();
    command.addAll(List.of("ip", "netns", "exec", netns));
    command.addAll(wrapper);
    command.add(Path.javaBinary());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    try {
      java.lang.Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      return new Process(name, process);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  public String output() {
    return output.toString();
  }

  /** Waits up to {@code limit} for the process to end by itself; its exit code, or -1 if not. */
  int awaitExit(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      return -1;
    }
    reader.join(2000);
    return process.exitValue();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** Sends SIGTERM and returns the exit code, or -1 if it had to be killed after {@code limit}. */
  int stop(Duration limit) throws InterruptedException {
    process.destroy();
    if (process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      reader.join(2000);
      return process.exitValue();
    }
    kill();
    return -1;
  }

  /** SIGKILL: the process gets no chance to say goodbye. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    reader.join(2000);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop(Duration.ofSeconds(5));
    } else {
      reader.join(2000);
    }
  }

  @Override
  public String toString() {
    return name + " output:\n" + output;
  }

  /** Where this JVM's java binary is. */
  static final class Path {
    private Path() {}

    static String javaBinary() {
      return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
  }
}
