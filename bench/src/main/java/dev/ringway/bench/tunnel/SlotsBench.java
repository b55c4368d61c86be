package dev.ringway.bench.tunnel;

import dev.ringway.server.jmx.PathMXBean;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./ringway bench slots [--quick]}: one Ringway UDP tunnel on io_uring, retuned live over
 * JMX between steps (no restart), under an iperf3 TCP stream per step. {@code io.tun.rxSlots}
 * sweeps 1…1024 with TUN blocking off and on while upstream sends to the client (the server reads
 * the TUN); {@code io.udp.rxSlots} sweeps while the client sends (the server reads UDP). Each step
 * records throughput and the EAGAIN completions per second of the path being swept.
 */
public final class SlotsBench {
  static final List<Integer> SLOTS = List.of(1, 4, 16, 64, 256, 1024);

  private SlotsBench() {}

  /** One sweep: which tunable, the direction of the load, and the path whose EAGAINs count. */
  enum Sweep {
    TUN_NONBLOCKING("io.tun.rxSlots, TUN non-blocking", "io.tun.rxSlots", "tun.rx", true, false),
    TUN_BLOCKING("io.tun.rxSlots, TUN blocking", "io.tun.rxSlots", "tun.rx", true, true),
    UDP("io.udp.rxSlots", "io.udp.rxSlots", "udp.rx", false, false);

    final String label;
    final String key;
    final String path;
    final boolean download;
    final boolean tunBlocking;

    Sweep(String label, String key, String path, boolean download, boolean tunBlocking) {
      this.label = label;
      this.key = key;
      this.path = path;
      this.download = download;
      this.tunBlocking = tunBlocking;
    }
  }

  /** One setting's result. */
  /**
   * One setting's result: throughput, EAGAIN completions per second on the swept path, and the
   * server process's CPU-seconds per GB moved (what more slots cost).
   */
  record Step(
      Sweep sweep,
      int slots,
      double gbitPerSecond,
      double eagainPerSecond,
      double serverCpuPerGb) {}

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    for (String arg : args) {
      if (arg.equals("--quick")) {
        quick = true;
      } else {
        System.err.println(
            "ringway bench slots: unknown argument: "
                + arg
                + "\n\nUsage: ./ringway bench slots [--quick]\n  --quick   2 s per step instead of 5: a smoke run, not a result");
        System.exit(2);
        return;
      }
    }
    Path results = Path.of(System.getProperty("ringway.bench.results", "bench/results"));
    List<Step> steps;
    try {
      steps = run(quick, results);
    } catch (MeasurementException e) {
      System.err.println("ringway bench slots: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println(SlotsReport.table(steps));
    System.out.println(
        "ringway bench slots: results in "
            + results.toAbsolutePath()
            + (quick ? " (slots-<time>-quick.*)" : "/slots-latest.{md,csv,png}"));
  }

  /** Runs every sweep (2 s of load per step when quick, else 5) and writes the result files. */
  static List<Step> run(boolean quick, Path results) throws IOException {
    int seconds = quick ? 2 : 5;
    ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
    Machine machine = Machine.describe();
    Path work = Files.createTempDirectory("ringway-bench-slots");
    List<Step> steps = new ArrayList<>();
    try (Teardown teardown = Teardown.install()) {
      // Taken down last: the logs, keys and configurations of every row.
      teardown.add(() -> TunnelBench.deleteTree(work));
      BenchNetwork network = teardown.add(BenchNetwork.create(work));
      RingwayTunnel tunnel = fullSizeSession(network, work, teardown);
      ServerJmx jmx = tunnel.jmx();
      long serverPid = tunnel.serverProcess().orElseThrow().pid();
      for (Sweep sweep : Sweep.values()) {
        System.err.println("ringway bench slots: " + sweep.label + "…");
        for (int slots : SLOTS) {
          jmx.tunables()
              .apply(
                  Map.of(
                      "io.tun.blocking", Boolean.toString(sweep.tunBlocking),
                      "io.tun.rxSlots", Integer.toString(sweep == Sweep.UDP ? 64 : slots),
                      "io.udp.rxSlots", Integer.toString(sweep == Sweep.UDP ? slots : 32)));
          steps.add(step(sweep, slots, seconds, network, jmx.path(sweep.path), serverPid));
          System.err.println("ringway bench slots:   " + steps.getLast());
        }
      }
    }
    String settings =
        "%d s of one iperf3 TCP stream per step; TUN sweeps download (upstream → client), the UDP sweep uploads; other tunables at their defaults (io.tun.rxSlots 64, io.udp.rxSlots 32)"
            .formatted(seconds);
    SlotsReport.write(results, started, quick, machine, settings, steps);
    return steps;
  }

  /**
   * A ringway udp/uring tunnel that carries full-size packets; one that does not stops the sweep
   * with the reason (see {@link TunnelBench}: no second session that would hide the fault).
   */
  private static RingwayTunnel fullSizeSession(BenchNetwork network, Path work, Teardown teardown)
      throws IOException {
    RingwayTunnel tunnel = new RingwayTunnel("udp", "uring", Optional.empty());
    teardown.during(tunnel);
    tunnel.establish(network, Files.createDirectories(work.resolve("session")));
    Optional<String> trouble = network.fullSizeTrouble();
    if (trouble.isPresent()) {
      throw new MeasurementException(trouble.get());
    }
    return tunnel;
  }

  private static Step step(
      Sweep sweep, int slots, int seconds, BenchNetwork network, PathMXBean path, long serverPid) {
    long eagainBefore = path.getEagain();
    double cpuBefore = ProcessCpu.seconds(serverPid);
    long startNanos = System.nanoTime();
    Iperf.Tcp tcp = Iperf.tcp(network, seconds, sweep.download);
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    double cpu = ProcessCpu.seconds(serverPid) - cpuBefore;
    return new Step(
        sweep,
        slots,
        tcp.gbitPerSecond(),
        (path.getEagain() - eagainBefore) / elapsed,
        cpu / (tcp.bytes() / 1e9));
  }
}
