package dev.ringway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code ./ringway bench ring [JMH args]}: runs this module's benchmarks with defaults sized for a
 * two-core machine (any JMH argument given overrides its default), writes JMH's JSON and a Markdown
 * table to {@code ring-<UTC time>.json/.md} and {@code ring-latest.md} in the directory named by
 * the {@code ringway.bench.results} property, and prints the table.
 */
public final class BenchMain {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmm'Z'", Locale.ROOT);

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    CommandLineOptions given;
    try {
      given = new CommandLineOptions(args);
    } catch (CommandLineOptionException e) {
      System.err.println("ringway bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path results = Path.of(System.getProperty("ringway.bench.results", "bench/results"));
    Files.createDirectories(results);
    ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
    String name = "ring-" + STAMP.format(started);
    Path json = results.resolve(name + ".json");

    OptionsBuilder options = new OptionsBuilder();
    if (given.getIncludes().isEmpty()) {
      options.include(BenchMain.class.getPackageName() + "\\..*Benchmark");
    }
    if (!given.getForkCount().hasValue()) {
      options.forks(1);
    }
    if (!given.getWarmupIterations().hasValue()) {
      options.warmupIterations(3);
    }
    if (!given.getWarmupTime().hasValue()) {
      options.warmupTime(TimeValue.seconds(2));
    }
    if (!given.getMeasurementIterations().hasValue()) {
      options.measurementIterations(5);
    }
    if (!given.getMeasurementTime().hasValue()) {
      options.measurementTime(TimeValue.seconds(3));
    }
    if (!given.getTimeout().hasValue()) {
      // An echo whose whole window was lost blocks; JMH interrupts it rather than hang the run.
      options.timeout(TimeValue.seconds(30));
    }
    if (given.getProfilers().isEmpty()) {
      options.addProfiler(GCProfiler.class);
    }
    if (!given.getResult().hasValue()) {
      options.result(json.toString()).resultFormat(ResultFormatType.JSON);
    }
    options.parent(given);

    String loadBefore = loadAverage();
    Collection<RunResult> runs = new Runner(options.build()).run();
    String table =
        ResultsTable.markdown(
            runs, started, Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
    Files.writeString(results.resolve(name + ".md"), table);
    Files.writeString(results.resolve("ring-latest.md"), table);
    System.out.println();
    System.out.print(table);
    System.out.println();
    System.out.println("ringway bench: results in " + results.resolve(name + ".md") + " and .json");
  }

  /** The first three fields of {@code /proc/loadavg}: the 1, 5 and 15 minute load averages. */
  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return String.join(" ", fields[0], fields[1], fields[2]);
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Renders JMH results as the Markdown the README quotes. */
  static final class ResultsTable {
    private ResultsTable() {}

    static String markdown(
        Collection<RunResult> runs,
        ZonedDateTime started,
        int cores,
        String loadBefore,
        String loadAfter) {
      StringBuilder md = new StringBuilder();
      md.append("# ./ringway bench ring — ")
          .append(DateTimeFormatter.ISO_INSTANT.format(started.withNano(0)))
          .append("\n\n");
      md.append(
          String.format(
              Locale.ROOT,
              "Machine: %d cores, Linux %s, JDK %s (%s). Load average (1/5/15 min) before %s,"
                  + " after %s. Echo server and client driver share the cores.%n%n",
              cores,
              System.getProperty("os.version"),
              System.getProperty("java.version"),
              System.getProperty("java.vm.name"),
              loadBefore,
              loadAfter));
      md.append("| benchmark | params | score | ± error (99.9%) | unit | alloc B/op |\n");
      md.append("|---|---|---:|---:|---|---:|\n");
      for (RunResult run : runs) {
        var params = run.getParams();
        String benchmark = params.getBenchmark();
        benchmark =
            benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
        List<String> values = new ArrayList<>();
        for (String key : params.getParamsKeys()) {
          values.add(key + "=" + params.getParam(key));
        }
        Result<?> primary = run.getPrimaryResult();
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %,.0f | %,.0f | %s | %s |%n",
                benchmark,
                String.join(" ", values),
                primary.getScore(),
                primary.getScoreError(),
                primary.getScoreUnit(),
                allocation(run.getSecondaryResults())));
      }
      md.append(
          "\nalloc B/op is JMH's gc.alloc.rate.norm: bytes allocated by every thread of the"
              + " benchmark JVM (client driver and server) per operation.\n");
      return md.toString();
    }

    private static String allocation(Map<String, Result> secondary) {
      for (Map.Entry<String, Result> entry : secondary.entrySet()) {
        if (entry.getKey().endsWith("gc.alloc.rate.norm")) {
          return String.format(Locale.ROOT, "%.1f", entry.getValue().getScore());
        }
      }
      return "—";
    }
  }
}
