package dev.ringway.server.jmx;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.Commands;
import dev.ringway.testkit.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A real server in a subprocess, in a network namespace of its own, with JMX (users {@code op},
 * operator, plain password; {@code mon}, monitor, bcrypt hash) and the Prometheus exporter agent
 * bound to the namespace's end of a veth pair, so that clients in this JVM reach both.
 */
final class LiveServer implements AutoCloseable {
  static final String OPERATOR = "op";
  static final String OPERATOR_PASSWORD = "op-secret";
  static final String MONITOR = "mon";
  static final String MONITOR_PASSWORD = "mon-secret";
  static final int JMX_PORT = 27691;
  static final int METRICS_PORT = 9404;

  private static final Path TOOLS = Path.of("target", "jmx-tools");

  final Netns netns;
  final String address;
  final Path dir;
  private final Process process;
  private final Path log;

  private LiveServer(Netns netns, String address, Path dir, Process process, Path log) {
    this.netns = netns;
    this.address = address;
    this.dir = dir;
    this.process = process;
    this.log = log;
  }

  static LiveServer start(Path dir) throws IOException {
    return start(dir, "udp");
  }

  /** As {@link #start(Path)}, in {@code mode} udp or tcp. */
  static LiveServer start(Path dir, String mode) throws IOException {
    return start(dir, mode, true);
  }

  /**
   * As {@link #start(Path)}; without {@code withUsers} JMX has no logins, and {@code sets} are
   * passed as {@code --set KEY=VALUE}. Throws {@link IllegalStateException} with the server's
   * output when it exits instead of starting.
   */
  static LiveServer start(Path dir, String mode, boolean withUsers, String... sets)
      throws IOException {
    Netns netns = Netns.create("jmx");
    try {
      int subnet = ThreadLocalRandom.current().nextInt(256);
      String hostSide = "10.252." + subnet + ".1";
      String serverSide = "10.252." + subnet + ".2";
      String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
      String outer = "rwjh" + suffix;
      String inner = "rwjn" + suffix;
      Commands.run(
              "ip",
              "link",
              "add",
              outer,
              "type",
              "veth",
              "peer",
              "name",
              inner,
              "netns",
              netns.name())
          .orThrow();
      Commands.run("ip", "addr", "add", hostSide + "/24", "dev", outer).orThrow();
      Commands.run("ip", "link", "set", outer, "up").orThrow();
      netns.exec("ip", "addr", "add", serverSide + "/24", "dev", inner).orThrow();
      netns.exec("ip", "link", "set", inner, "up").orThrow();

      Path config = dir.resolve("server.yaml");
      Files.writeString(
          config,
          """
          mode: %s
          bind: 127.0.0.1:27690
          stats: { interval: 250ms }
          jmx:
            bind: %s:%d
          """
                  .formatted(mode, serverSide, JMX_PORT)
              + (withUsers
                  ? """
                    users:
                      - { name: %s, password: %s, role: operator }
                      - { name: %s, passwordHash: '%s', role: monitor }
                  """
                      .formatted(
                          OPERATOR,
                          OPERATOR_PASSWORD,
                          MONITOR,
                          BCrypt.withDefaults().hashToString(6, MONITOR_PASSWORD.toCharArray()))
                  : ""));
      Path log = dir.resolve("server.log");
      // SIGHUP at its default disposition, whatever this JVM inherited: under nohup it would be
      // ignored, and the server's JVM never installs a handler for an ignored SIGHUP.
      List<String> command = new ArrayList<>(List.of("env", "--default-signal=HUP"));
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("--enable-native-access=ALL-UNNAMED");
      command.add(
          "-javaagent:"
              + TOOLS.resolve("jmx_prometheus_javaagent.jar").toAbsolutePath()
              + "="
              + serverSide
              + ":"
              + METRICS_PORT
              + ":"
              + Path.of("src/main/resources/prometheus/ringway-jmx-exporter.yaml")
                  .toAbsolutePath());
      command.add("-cp");
      command.add(
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
      command.add("dev.ringway.server.cli.RingwayCli");
      command.addAll(
          List.of("server", "-c", config.toString(), "--set", "stateDir=" + dir.resolve("state")));
      for (String set : sets) {
        command.addAll(List.of("--set", set));
      }
      Process process =
          netns
              .processBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      LiveServer server = new LiveServer(netns, serverSide, dir, process, log);
      Await.until(
          "the server logs its JMX URL (log: " + log + ")",
          Duration.ofSeconds(30),
          () -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("the server exited:\n" + server.log());
            }
            return server.log().contains("JMX at service:jmx:rmi://");
          });
      return server;
    } catch (IOException | RuntimeException e) {
      netns.close();
      throw e;
    }
  }

  /** Sends {@code signal} (e.g. "HUP") to the server process. */
  void signal(String signal) {
    Commands.run("kill", "-" + signal, String.valueOf(process.pid())).orThrow();
  }

  /** What the server has written so far. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  JMXServiceURL url() {
    try {
      return new JMXServiceURL(
          "service:jmx:rmi://"
              + address
              + ":"
              + JMX_PORT
              + "/jndi/rmi://"
              + address
              + ":"
              + JMX_PORT
              + "/jmxrmi");
    } catch (java.net.MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  JMXConnector connect(String user, String password) throws IOException {
    Map<String, Object> env = new HashMap<>();
    if (user != null) {
      env.put(JMXConnector.CREDENTIALS, new String[] {user, password});
    }
    return JMXConnectorFactory.connect(url(), env);
  }

  /** Runs jmxterm as {@code user} with {@code commands}, one per line; its whole output. */
  String jmxterm(String user, String password, String... commands) throws Exception {
    Path script = Files.createTempFile(dir, "jmxterm", ".txt");
    Files.writeString(script, String.join("\n", commands) + "\n");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-jar",
            TOOLS.resolve("jmxterm.jar").toString(),
            "-l",
            address + ":" + JMX_PORT,
            "-n",
            "-v",
            "brief",
            "-i",
            script.toString()));
    if (user != null) {
      command.addAll(List.of("-u", user, "-p", password));
    }
    Process jmxterm = new ProcessBuilder(command).redirectErrorStream(true).start();
    jmxterm.getOutputStream().close();
    byte[] output = jmxterm.getInputStream().readAllBytes();
    if (!jmxterm.waitFor(60, TimeUnit.SECONDS)) {
      jmxterm.destroyForcibly();
      throw new IllegalStateException("jmxterm did not finish");
    }
    return new String(output, java.nio.charset.StandardCharsets.UTF_8);
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
