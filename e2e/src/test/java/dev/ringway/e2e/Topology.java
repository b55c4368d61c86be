package dev.ringway.e2e;

import dev.ringway.testkit.Await;
import dev.ringway.testkit.Commands;
import dev.ringway.testkit.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A server namespace and one namespace per client, each client linked to the server by its own veth
 * pair on a documentation network (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24). The server and
 * clients run as separate JVMs, all in the topology's mode (UDP unless created for TCP); everything
 * is removed on close.
 */
public final class Topology implements AutoCloseable {
  public static final String SERVER_INSIDE = "10.125.0.6";
  static final String CLIENT_INSIDE = "10.125.0.5";
  private static final String[] NETS = {"192.0.2", "198.51.100", "203.0.113"};

  public final Netns server;
  public final List<Netns> clients = new ArrayList<>();
  final Path stateDir;
  private final List<String> modeSets;
  private final List<Process> processes = new ArrayList<>();

  private Topology(Netns server, Path stateDir, List<String> modeSets) {
    this.server = server;
    this.stateDir = stateDir;
    this.modeSets = modeSets;
  }

  /** A topology whose server and clients run in UDP mode (their default). */
  public static Topology create(int clientCount) throws IOException {
    return create(clientCount, List.of());
  }

  /** A topology whose server and clients all run with {@code mode: tcp}. */
  static Topology createTcp(int clientCount) throws IOException {
    return create(clientCount, List.of("--set", "mode=tcp"));
  }

  private static Topology create(int clientCount, List<String> modeSets) throws IOException {
    Topology topology =
        new Topology(Netns.create("srv"), Files.createTempDirectory("ringway-e2e"), modeSets);
    for (int i = 0; i < clientCount; i++) {
      Netns client = Netns.create("cli" + i);
      topology.clients.add(client);
      client.link(topology.server, NETS[i] + ".2", NETS[i] + ".1");
    }
    return topology;
  }

  /**
   * Links this host (the root namespace) to the server's namespace with a veth pair on
   * 198.18.N.0/24 (the benchmarking range), so a JMX client in this JVM can reach the server;
   * returns the server side's address. Deleting the server's namespace removes the pair.
   */
  public String linkHost() {
    int subnet = java.util.concurrent.ThreadLocalRandom.current().nextInt(256);
    String host = "198.18." + subnet + ".1";
    String serverSide = "198.18." + subnet + ".2";
    String suffix =
        Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(0x10000));
    String outer = "rweh" + suffix;
    Commands.run(
            "ip",
            "link",
            "add",
            outer,
            "type",
            "veth",
            "peer",
            "name",
            "rwen" + suffix,
            "netns",
            server.name())
        .orThrow();
    Commands.run("ip", "addr", "add", host + "/24", "dev", outer).orThrow();
    Commands.run("ip", "link", "set", outer, "up").orThrow();
    server.exec("ip", "addr", "add", serverSide + "/24", "dev", "rwen" + suffix).orThrow();
    server.exec("ip", "link", "set", "rwen" + suffix, "up").orThrow();
    return serverSide;
  }

  /** Client {@code i}'s outside address. */
  public static String clientOutside(int i) {
    return NETS[i] + ".2";
  }

  /** The server's outside address as client {@code i} reaches it. */
  public static String serverOutside(int i) {
    return NETS[i] + ".1";
  }

  /** Starts the server on its embedded defaults plus {@code sets}, and waits until it listens. */
  Process startServer(String... sets) {
    return startServer(List.of(), sets);
  }

  /** As {@link #startServer(String...)}, with extra JVM options for the server's JVM. */
  Process startServer(List<String> jvmOptions, String... sets) {
    return awaitListening(launchServer(List.of(), jvmOptions, sets));
  }

  /**
   * Starts the server through {@code wrapper} (see {@link Process#start(String, String, List, List,
   * String, List)}) without waiting for it: for servers that are expected to fail.
   */
  public Process launchServer(List<String> wrapper, List<String> jvmOptions, String... sets) {
    List<String> args = new ArrayList<>(List.of("server", "--set", "stateDir=" + stateDir));
    args.addAll(modeSets);
    for (String set : sets) {
      args.add("--set");
      args.add(set);
    }
    Process process =
        Process.start(
            "server",
            server.name(),
            wrapper,
            jvmOptions,
            "dev.ringway.server.cli.RingwayCli",
            args);
    processes.add(process);
    return process;
  }

  /** Waits until {@code process}, a server, listens; fails if it exits instead. */
  Process awaitListening(Process process) {
    Await.until(
        "the server to start: " + process,
        Duration.ofSeconds(60),
        () -> process.output().contains("connect a client") || !process.isAlive());
    if (!process.isAlive()) {
      try {
        process.close(); // collects the rest of its output
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new AssertionError("the server exited: " + process);
    }
    return process;
  }

  /** Starts client {@code i} as the generated demo user, plus {@code sets}. */
  Process startClient(int i, String... sets) {
    return startClient(i, List.of(), sets);
  }

  /** As {@link #startClient(int, String...)}, with extra JVM options for the client's JVM. */
  Process startClient(int i, List<String> jvmOptions, String... sets) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--set", "server=" + serverOutside(i) + ":27690",
                "--set", "tls.ca=" + stateDir.resolve("server.crt"),
                "--set", "auth.user=demo",
                "--set", "auth.passwordFile=" + stateDir.resolve("demo.pass")));
    args.addAll(modeSets);
    for (String set : sets) {
      args.add("--set");
      args.add(set);
    }
    Process process =
        Process.start(
            "client" + i, clients.get(i).name(), jvmOptions, "dev.ringway.client.ClientMain", args);
    processes.add(process);
    return process;
  }

  /** Waits until client {@code i} has configured its TUN device from AuthSuccess. */
  void awaitOnline(int i, Process client) {
    Await.until(
        "client " + i + " to come online: " + client,
        Duration.ofSeconds(60),
        () -> clientTunAddress(i).contains("inet " + CLIENT_INSIDE));
  }

  String clientTunAddress(int i) {
    return clients.get(i).exec("ip", "-4", "addr", "show", "dev", "ringway0").output();
  }

  /** Runs ping in client {@code i}'s namespace toward the server's inside address. */
  Commands.Result ping(int i, int count) {
    return clients
        .get(i)
        .exec("ping", "-c", String.valueOf(count), "-i", "0.02", "-W", "2", SERVER_INSIDE);
  }

  /**
   * Takes client {@code i}'s outside link down: from now on nothing it sends reaches the server and
   * nothing comes back — not even a FIN or a reset.
   */
  void cutLink(int i) {
    String links = clients.get(i).exec("ip", "-o", "link", "show").output();
    Matcher veth = Pattern.compile("\\b(rwa[0-9a-f]+)@").matcher(links);
    if (!veth.find()) {
      throw new AssertionError("no veth in client " + i + "'s namespace:\n" + links);
    }
    clients.get(i).exec("ip", "link", "set", veth.group(1), "down").orThrow();
  }

  @Override
  public void close() throws Exception {
    for (Process process : processes) {
      process.close();
    }
    for (Netns client : clients) {
      client.close();
    }
    server.close();
    try (Stream<Path> files = Files.walk(stateDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
