package dev.ringway.bench.tunnel;

import dev.ringway.testkit.Commands;
import dev.ringway.testkit.Netns;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Three namespaces in a line — client, server, upstream — joined by veth links on documentation
 * networks, with forwarding on in the server's namespace and the upstream's default route through
 * it. Upstream runs the iperf3 server and answers pings; a tunnel carries the client's traffic for
 * {@link #UPSTREAM_NET} to the server, which forwards it on. A third veth link joins this host to
 * the server's namespace for JMX. Closing stops iperf3 and deletes the namespaces and the link.
 */
final class BenchNetwork implements AutoCloseable {
  static final String CLIENT_OUTSIDE = "192.0.2.2";
  static final String SERVER_OUTSIDE = "192.0.2.1";
  static final String SERVER_UPSTREAM = "198.51.100.1";
  static final String UPSTREAM = "198.51.100.2";
  static final String UPSTREAM_NET = "198.51.100.0/24";

  final Netns client;
  final Netns server;
  final Netns upstream;
  final Path dir;
  private final List<AutoCloseable> undo = new ArrayList<>();
  private String jmxAddress;
  private Child iperfServer;

  private BenchNetwork(Netns client, Netns server, Netns upstream, Path dir) {
    this.client = client;
    this.server = server;
    this.upstream = upstream;
    this.dir = dir;
  }

  /** Builds the topology and starts iperf3's server; on any failure removes what it made. */
  static BenchNetwork create(Path dir) {
    List<Netns> made = new ArrayList<>();
    try {
      Netns client = Netns.create("bcli");
      made.add(client);
      Netns server = Netns.create("bsrv");
      made.add(server);
      Netns upstream = Netns.create("bups");
      made.add(upstream);
      BenchNetwork network = new BenchNetwork(client, server, upstream, dir);
      network.undo.addAll(made.reversed());
      network.build();
      return network;
    } catch (RuntimeException e) {
      made.forEach(Netns::close);
      throw e;
    }
  }

  private void build() {
    try {
      client.link(server, CLIENT_OUTSIDE, SERVER_OUTSIDE);
      server.link(upstream, SERVER_UPSTREAM, UPSTREAM);
      server.exec("sysctl", "-qw", "net.ipv4.ip_forward=1").orThrow();
      upstream.exec("ip", "route", "add", "default", "via", SERVER_UPSTREAM).orThrow();
      jmxAddress = linkHost();
      iperfServer =
          Child.start(
              "iperf3 server",
              upstream,
              List.of("iperf3", "--server", "--bind", UPSTREAM),
              Map.of(),
              dir.resolve("iperf3-server.log"));
      undo.addFirst(iperfServer);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * A veth pair between this host and the server's namespace on a random 198.19.N.0/24 (the
   * benchmarking range; the e2e tests use 198.18.N), so the harness reaches the server's JMX.
   */
  private String linkHost() {
    int subnet = ThreadLocalRandom.current().nextInt(256);
    String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
    String outer = "rwbh" + suffix;
    String inner = "rwbj" + suffix;
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
            server.name())
        .orThrow();
    undo.addFirst(() -> Commands.run("ip", "link", "del", outer));
    Commands.run("ip", "addr", "add", "198.19." + subnet + ".1/24", "dev", outer).orThrow();
    Commands.run("ip", "link", "set", outer, "up").orThrow();
    String serverSide = "198.19." + subnet + ".2";
    server.exec("ip", "addr", "add", serverSide + "/24", "dev", inner).orThrow();
    server.exec("ip", "link", "set", inner, "up").orThrow();
    return serverSide;
  }

  /** The server namespace's address on the host link, where a server's JMX connector can bind. */
  String jmxAddress() {
    return jmxAddress;
  }

  /** Runs a command in the client's namespace, killed after {@code limit}. */
  Commands.Result inClient(Duration limit, List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", client.name()));
    full.addAll(command);
    return Commands.run(limit, full);
  }

  /** Routes the upstream network from the client through {@code route} (e.g. "dev tun0"). */
  void routeUpstream(String... route) {
    List<String> command = new ArrayList<>(List.of("ip", "route", "replace", UPSTREAM_NET));
    command.addAll(List.of(route));
    client.exec(command.toArray(String[]::new)).orThrow();
  }

  /** Removes the client's route to the upstream network, if any. */
  void unrouteUpstream() {
    client.exec("ip", "route", "del", UPSTREAM_NET);
  }

  /** True once a ping from the client reaches upstream. */
  boolean upstreamAnswers() {
    return inClient(Duration.ofSeconds(3), List.of("ping", "-c", "1", "-W", "1", UPSTREAM))
            .exitCode()
        == 0;
  }

  /**
   * Empty when full-size packets (1200 bytes of ping payload: 1228-byte IP packets, below every
   * tunnel's MTU here) reach upstream and come back; otherwise what went wrong. A tunnel that
   * passes small packets only would stall every TCP run.
   */
  Optional<String> fullSizeTrouble() {
    Commands.Result ping =
        inClient(
            Duration.ofSeconds(10),
            List.of("ping", "-c", "3", "-i", "0.2", "-W", "1", "-s", "1200", UPSTREAM));
    return ping.exitCode() == 0
        ? Optional.empty()
        : Optional.of("carried small pings, but none of 3 pings of 1228-byte packets came back");
  }

  /** Whether iperf3's server is still running, and its log if not. */
  String iperfServerTrouble() {
    return iperfServer.isAlive() ? "" : "iperf3 server exited:\n" + iperfServer.tail();
  }

  @Override
  public void close() {
    for (AutoCloseable step : undo) {
      try {
        step.close();
      } catch (Exception e) {
        System.err.println("ringway bench: cleanup step failed: " + e.getMessage());
      }
    }
    undo.clear();
  }
}
