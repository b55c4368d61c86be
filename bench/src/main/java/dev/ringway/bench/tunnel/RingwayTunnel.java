package dev.ringway.bench.tunnel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ringway's server and client, each its own JVM on this harness's class path, in {@code mode} with
 * the server on {@code engine}; the server's JMX connector listens on the host link so the harness
 * can check the engine it really runs and, for the slot sweep, retune it live. With a flight
 * recording file the server's JVM records a JFR profile there until it stops.
 */
final class RingwayTunnel implements Tunnel {
  static final String TUN = "ringway0";
  private static final String CLIENT_INSIDE = "10.125.0.5";

  private final String mode;
  private final String engine;
  private final Optional<Path> flightRecording;
  private Child server;
  private Child client;
  private ServerJmx jmx;
  private BenchNetwork network;

  RingwayTunnel(String mode, String engine, Optional<Path> flightRecording) {
    this.mode = mode;
    this.engine = engine;
    this.flightRecording = flightRecording;
  }

  @Override
  public void establish(BenchNetwork network, Path dir) {
    this.network = network;
    Path state = dir.resolve("ringway-state");
    List<String> serverJvm = new ArrayList<>();
    flightRecording.ifPresent(jfr ->
        serverJvm.add(
            "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true"));
    server =
        Child.start(
            "ringway server",
            network.server,
            java(
                serverJvm,
                "dev.ringway.server.cli.RingwayCli",
                "server",
                "--set",
                "stateDir=" + state,
                "--set",
                "mode=" + mode,
                "--set",
                "io.engine=" + engine,
                "--set",
                "jmx.bind=" + network.jmxAddress() + ":" + ServerJmx.PORT,
                "--set",
                "jmx.insecure=true"),
            Map.of(),
            dir.resolve("ringway-server.log"));
    Tunnel.await(
        "the ringway server to start",
        Duration.ofSeconds(60),
        () -> server.output().contains("connect a client") || !server.isAlive());
    if (!server.isAlive()) {
      throw new MeasurementException("the ringway server exited:\n" + server.tail());
    }
    jmx = ServerJmx.connect(network.jmxAddress(), Duration.ofSeconds(20));
    String running = jmx.server().getEngine();
    if (!running.equals(engine)) {
      throw new MeasurementException(
          "io.engine="
              + engine
              + " was asked for but the server runs on "
              + running
              + " (JMX Server.Engine), so this row would measure the wrong engine");
    }
    client =
        Child.start(
            "ringway client",
            network.client,
            java(
                List.of(),
                "dev.ringway.client.ClientMain",
                "--set",
                "server=" + BenchNetwork.SERVER_OUTSIDE + ":27690",
                "--set",
                "mode=" + mode,
                "--set",
                "network.tun=" + TUN,
                "--set",
                "tls.ca=" + state.resolve("server.crt"),
                "--set",
                "auth.user=demo",
                "--set",
                "auth.passwordFile=" + state.resolve("demo.pass")),
            Map.of(),
            dir.resolve("ringway-client.log"));
    Tunnel.await(
        "the ringway client to come online",
        Duration.ofSeconds(60),
        () -> clientOnline() || !client.isAlive());
    if (!client.isAlive()) {
      throw new MeasurementException("the ringway client exited:\n" + client.tail());
    }
    network.routeUpstream("dev", TUN);
    Tunnel.awaitUpstream(network, "ringway " + mode + "/" + engine);
  }

  private boolean clientOnline() {
    return network
        .client
        .exec("ip", "-4", "addr", "show", "dev", TUN)
        .output()
        .contains("inet " + CLIENT_INSIDE);
  }

  /** The running server's MXBeans; valid between {@link #establish} and {@link #close}. */
  ServerJmx jmx() {
    return jmx;
  }

  private static List<String> java(List<String> jvmOptions, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  @Override
  public Optional<Child> serverProcess() {
    return Optional.ofNullable(server);
  }

  @Override
  public Optional<Child> clientProcess() {
    return Optional.ofNullable(client);
  }

  @Override
  public void close() {
    if (network != null) {
      network.unrouteUpstream();
    }
    if (jmx != null) {
      jmx.close();
    }
    // The client first, so its Goodbye reaches a server that is still there.
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }
}
