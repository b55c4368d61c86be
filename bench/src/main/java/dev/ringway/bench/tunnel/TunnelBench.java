package dev.ringway.bench.tunnel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code ./ringway bench tunnel [--quick] [--only ROW,…] [--jfr]}: builds the three namespaces,
 * runs every row (a tunnel set up, measured, torn down) and writes the results. A row that cannot
 * be set up or measured is reported as failed with its reason; the run goes on.
 */
public final class TunnelBench {
  /** Rounds of a full run: every row twice, so one disturbed run shows in the spread. */
  static final int DEFAULT_ROUNDS = 2;

  private static final String USAGE =
      """
      Usage: ./ringway bench tunnel [--quick] [--only ROW,…] [--rounds N] [--jfr]
        --quick   one round of short phases (3 s per iperf3 run, 30 idle pings): a smoke run
        --rounds  how many times every row runs, round-robin (default 2, --quick 1); each
                  figure is the median over the rounds
        --only    rows to run, of: %s
        --jfr     record a JFR profile of each Ringway server and summarize it in the results
      """
          .formatted(
              Arrays.stream(Row.values()).map(row -> row.id).collect(Collectors.joining(", ")));

  private TunnelBench() {}

  /** How a run is done. */
  record Options(boolean quick, Set<Row> rows, int rounds, boolean jfr, Path results) {
    int phaseSeconds() {
      return quick ? 3 : 8;
    }

    int warmUpSeconds() {
      return quick ? 1 : 3;
    }

    int idlePings() {
      return quick ? 30 : 200;
    }

    /**
     * How the result files are told apart: empty for a complete run (every row, full length), the
     * only kind that becomes {@code tunnel-latest}.
     */
    String variant() {
      boolean partial = rows.size() < Row.values().length || rounds < DEFAULT_ROUNDS;
      return (quick ? "-quick" : "") + (partial ? "-partial" : "");
    }

    String describe() {
      return "%d round(s), rows round-robin, medians reported; %d s per iperf3 run (one stream) after a %d s warm-up upload, %d idle pings at 20 ms, pings at 50 ms during the TCP upload, UDP offered at %s bit/s%s"
          .formatted(
              rounds,
              phaseSeconds(),
              warmUpSeconds(),
              idlePings(),
              Iperf.UDP_OFFERED,
              quick ? " — a --quick smoke run, not a result" : "");
    }
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = parse(args, Path.of(System.getProperty("ringway.bench.results", "bench/results")));
    } catch (IllegalArgumentException e) {
      System.err.println("ringway bench tunnel: " + e.getMessage() + "\n\n" + USAGE);
      System.exit(2);
      return;
    }
    List<Outcome> outcomes = run(options);
    System.out.println(TunnelReport.table(outcomes));
    Targets.judge(outcomes).forEach(v -> System.out.println(v.markdown()));
    System.out.println(
        "\nringway bench tunnel: results in "
            + options.results().toAbsolutePath()
            + (options.variant().isEmpty()
                ? "/tunnel-latest.{md,csv,png}"
                : " (tunnel-<time>" + options.variant() + ".*)"));
  }

  static Options parse(String[] args, Path results) {
    boolean quick = false;
    boolean jfr = false;
    Integer rounds = null;
    Set<Row> rows = EnumSet.allOf(Row.class);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--jfr" -> jfr = true;
        case "--rounds" -> {
          if (i + 1 >= args.length || !args[i + 1].matches("[1-9][0-9]?")) {
            throw new IllegalArgumentException("--rounds needs a count from 1 to 99");
          }
          rounds = Integer.parseInt(args[++i]);
        }
        case "--only" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--only needs a list of rows");
          }
          rows = EnumSet.noneOf(Row.class);
          for (String id : args[++i].split(",")) {
            rows.add(
                Row.byId(id.strip())
                    .orElseThrow(() -> new IllegalArgumentException("unknown row: " + id)));
          }
        }
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    return new Options(
        quick, rows, rounds != null ? rounds : quick ? 1 : DEFAULT_ROUNDS, jfr, results);
  }

  /** Runs the rows, writes the result files, and returns the outcomes in row order. */
  static List<Outcome> run(Options options) throws IOException {
    ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
    Machine machine = Machine.describe();
    Path work = Files.createTempDirectory("ringway-bench-tunnel");
    Map<Row, List<Outcome>> rounds = new EnumMap<>(Row.class);
    try (Teardown teardown = Teardown.install()) {
      // Taken down last: the logs, keys and configurations of every row.
      teardown.add(() -> deleteTree(work));
      BenchNetwork network = teardown.add(BenchNetwork.create(work));
      // Round-robin, so a stretch of load from elsewhere hits several rows a little, not one a lot.
      for (int round = 1; round <= options.rounds(); round++) {
        for (Row row : options.rows()) {
          System.err.printf(
              "ringway bench tunnel: round %d/%d, %s…%n", round, options.rounds(), row.label);
          Outcome outcome =
              runRow(row, network, work.resolve(row.id + "-" + round), options, teardown);
          System.err.println(
              "ringway bench tunnel: "
                  + row.label
                  + ": "
                  + (outcome instanceof Outcome.Failed f ? "failed: " + f.reason() : "measured"));
          rounds.computeIfAbsent(row, r -> new ArrayList<>()).add(outcome);
        }
      }
    }
    List<Outcome> outcomes = new ArrayList<>();
    rounds.forEach((row, each) -> outcomes.add(Rounds.combine(row, each)));
    TunnelReport.write(
        options.results(), started, options.variant(), machine, options.describe(), outcomes);
    return outcomes;
  }

  /**
   * Sets the row's tunnel up, checks it carries full-size packets, measures it and takes it down. A
   * tunnel that passes small packets but not full-size ones fails its row with that reason: it is
   * never set up again, because a retry would hide a data-plane bug (as it hid the DTLS packet-size
   * one, where a session whose handshake had been resent more than twice split every full-size
   * packet in two).
   */
  private static Outcome runRow(
      Row row, BenchNetwork network, Path dir, Options options, Teardown teardown)
      throws IOException {
    List<String> notes = new ArrayList<>();
    Path sessionDir = Files.createDirectories(dir.resolve("session"));
    Optional<Path> recording =
        options.jfr() && row.isRingway()
            ? Optional.of(sessionDir.resolve("server.jfr"))
            : Optional.empty();
    Tunnel tunnel = row.tunnel(recording);
    Outcome.Measured measured;
    try (Teardown.Step step = teardown.during(tunnel)) {
      tunnel.establish(network, sessionDir);
      Optional<String> trouble = network.fullSizeTrouble();
      if (trouble.isPresent()) {
        return new Outcome.Failed(row, trouble.get());
      }
      measured = measure(row, tunnel, network, options, notes);
    } catch (MeasurementException e) {
      return new Outcome.Failed(row, e.getMessage());
    } catch (RuntimeException e) {
      // Anything else that breaks one row (a JMX call to a dying server, a process that would
      // not start) is that row's failure, not the run's.
      return new Outcome.Failed(row, e.toString());
    }
    // The server has stopped (the step closed it), so its flight recording is complete.
    return recording.isEmpty()
        ? measured
        : new Outcome.Measured(
            measured.row(),
            measured.upload(),
            measured.download(),
            measured.udp(),
            measured.idle(),
            measured.loaded(),
            measured.serverCpuPerGb(),
            measured.clientCpuPerGb(),
            measured.notes(),
            Optional.of(JfrSummary.of(recording.get())));
  }

  /**
   * A warm-up upload (not counted: it lets the JVMs compile their data path and every tunnel settle
   * its handshake), idle pings, a TCP upload with pings alongside, a TCP download, then UDP at 1400
   * bytes.
   */
  static Outcome.Measured measure(
      Row row, Tunnel tunnel, BenchNetwork network, Options options, List<String> notes) {
    int seconds = options.phaseSeconds();
    Iperf.tcp(network, options.warmUpSeconds(), false);
    Rtt idle =
        Rtt.parse(
            network
                .inClient(
                    Duration.ofSeconds(options.idlePings() / 10 + 10),
                    List.of(
                        "ping",
                        "-c",
                        Integer.toString(options.idlePings()),
                        "-i",
                        "0.02",
                        "-W",
                        "2",
                        BenchNetwork.UPSTREAM))
                .output());
    double serverBefore = cpu(tunnel.serverProcess());
    double serverSystemBefore =
        tunnel.serverProcess().map(p -> ProcessCpu.systemSeconds(p.pid())).orElse(0.0);
    double clientBefore = cpu(tunnel.clientProcess());
    CompletableFuture<String> loadedPings =
        CompletableFuture.supplyAsync(
            () -> {
              // Starts once iperf3's stream is under way, ends before it does.
              pause(Duration.ofMillis(500));
              return network
                  .inClient(
                      Duration.ofSeconds(seconds + 10L),
                      List.of(
                          "ping",
                          "-i",
                          "0.05",
                          "-W",
                          "2",
                          "-w",
                          Integer.toString(seconds - 1),
                          BenchNetwork.UPSTREAM))
                  .output();
            },
            Thread::startVirtualThread);
    Iperf.Tcp upload = Iperf.tcp(network, seconds, false);
    Rtt loaded = Rtt.parse(loadedPings.join());
    Iperf.Tcp download = Iperf.tcp(network, seconds, true);
    double gigabytes = (upload.bytes() + download.bytes()) / 1e9;
    OptionalDouble serverCpu = perGigabyte(tunnel.serverProcess(), serverBefore, gigabytes);
    List<String> allNotes = new ArrayList<>(notes);
    // JFR sees only Java code: the kernel's share of the server's time is said here.
    tunnel
        .serverProcess()
        .ifPresent(server -> {
          double total = ProcessCpu.seconds(server.pid()) - serverBefore;
          double system = ProcessCpu.systemSeconds(server.pid()) - serverSystemBefore;
          allNotes.add(
              String.format(
                  Locale.ROOT,
                  "server CPU in the TCP runs %.0f %% in the kernel (system), %.0f %% user",
                  100 * system / total,
                  100 * (total - system) / total));
        });
    OptionalDouble clientCpu = perGigabyte(tunnel.clientProcess(), clientBefore, gigabytes);
    Iperf.Udp udp = Iperf.udp(network, seconds);
    for (Optional<Child> process : List.of(tunnel.serverProcess(), tunnel.clientProcess())) {
      if (process.isPresent() && !process.get().isAlive()) {
        throw new MeasurementException(
            process.get().name() + " died during the run:\n" + process.get().tail());
      }
    }
    return new Outcome.Measured(
        row,
        upload,
        download,
        udp,
        idle,
        loaded,
        serverCpu,
        clientCpu,
        List.copyOf(allNotes),
        Optional.empty());
  }

  private static double cpu(Optional<Child> process) {
    return process.map(p -> ProcessCpu.seconds(p.pid())).orElse(0.0);
  }

  private static OptionalDouble perGigabyte(
      Optional<Child> process, double before, double gigabytes) {
    if (process.isEmpty()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((ProcessCpu.seconds(process.get().pid()) - before) / gigabytes);
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
