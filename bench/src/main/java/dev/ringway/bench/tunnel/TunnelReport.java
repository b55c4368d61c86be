package dev.ringway.bench.tunnel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Writes one run of the tunnel benchmark as {@code tunnel-<time>.csv}, {@code .md} (the table, the
 * targets' verdicts, the machine, failed rows with their reasons, profiles) and {@code .png}
 * (throughput and CPU per GB per tunnel), and copies each to {@code tunnel-latest.*} unless the run
 * was a {@code --quick} smoke run.
 */
final class TunnelReport {
  static final String NO_VALUE = "—";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmm'Z'", Locale.ROOT);
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT);

  private TunnelReport() {}

  /**
   * Writes the files and returns the Markdown. {@code variant} is empty for a complete run, which
   * becomes the latest result; otherwise it ends the file names (e.g. {@code -quick}) and the run
   * never becomes the latest result.
   */
  static String write(
      Path results,
      ZonedDateTime started,
      String variant,
      Machine machine,
      String settings,
      List<Outcome> outcomes)
      throws IOException {
    Files.createDirectories(results);
    String name = "tunnel-" + STAMP.format(started) + variant;
    String markdown = markdown(started, machine, settings, outcomes);
    Files.writeString(results.resolve(name + ".csv"), csv(outcomes));
    Files.writeString(results.resolve(name + ".md"), markdown);
    chart(outcomes, results.resolve(name + ".png"));
    for (String extension :
        variant.isEmpty() ? List.of(".csv", ".md", ".png") : List.<String>of()) {
      Files.copy(
          results.resolve(name + extension),
          results.resolve("tunnel-latest" + extension),
          StandardCopyOption.REPLACE_EXISTING);
    }
    return markdown;
  }

  static String csv(List<Outcome> outcomes) {
    StringBuilder text =
        new StringBuilder(
            "row,status,tcp_up_gbit_s,tcp_down_gbit_s,udp1400_delivered_pkt_s,udp1400_loss_percent,"
                + "ping_idle_p50_ms,ping_idle_p99_ms,ping_loaded_p50_ms,ping_loaded_p99_ms,"
                + "server_cpu_s_per_gb,client_cpu_s_per_gb,reason_or_note\n");
    for (Outcome outcome : outcomes) {
      switch (outcome) {
        case Outcome.Measured m ->
            text.append(
                String.join(
                    ",",
                    m.row().id,
                    "ok",
                    number(m.upload().gbitPerSecond()),
                    number(m.download().gbitPerSecond()),
                    String.format(Locale.ROOT, "%.0f", m.udp().deliveredPerSecond()),
                    number(m.udp().lossPercent()),
                    number(m.idle().p50Millis()),
                    number(m.idle().p99Millis()),
                    number(m.loaded().p50Millis()),
                    number(m.loaded().p99Millis()),
                    optional(m.serverCpuPerGb(), ""),
                    optional(m.clientCpuPerGb(), ""),
                    m.notes().isEmpty() ? "" : quoted(String.join("; ", m.notes()))));
        case Outcome.Failed f ->
            text.append(f.row().id).append(",failed,,,,,,,,,,,").append(quoted(f.reason()));
      }
      text.append('\n');
    }
    return text.toString();
  }

  static String table(List<Outcome> outcomes) {
    StringBuilder text =
        new StringBuilder(
            "| tunnel | TCP up Gbit/s | TCP down Gbit/s | UDP 1400 B delivered pkt/s (loss) |"
                + " ping idle p50 / p99 ms | ping under load p50 / p99 ms |"
                + " server CPU-s/GB | client CPU-s/GB |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Outcome outcome : outcomes) {
      switch (outcome) {
        case Outcome.Measured m ->
            text.append(
                String.format(
                    Locale.ROOT,
                    "| %s | %.2f | %.2f | %,.0f (%.1f%%) | %.2f / %.2f | %.2f / %.2f | %s | %s |%n",
                    m.row().label,
                    m.upload().gbitPerSecond(),
                    m.download().gbitPerSecond(),
                    m.udp().deliveredPerSecond(),
                    m.udp().lossPercent(),
                    m.idle().p50Millis(),
                    m.idle().p99Millis(),
                    m.loaded().p50Millis(),
                    m.loaded().p99Millis(),
                    optional(m.serverCpuPerGb(), NO_VALUE),
                    optional(m.clientCpuPerGb(), NO_VALUE)));
        case Outcome.Failed f ->
            text.append(
                "| %s | failed: %s | | | | | | |%n"
                    .formatted(f.row().label, firstLine(f.reason())));
      }
    }
    return text.toString();
  }

  private static String markdown(
      ZonedDateTime started, Machine machine, String settings, List<Outcome> outcomes) {
    StringBuilder text = new StringBuilder();
    text.append("# Tunnel benchmark, ").append(WHEN.format(started)).append("\n\n");
    text.append(machine.markdown()).append("- Settings: ").append(settings).append("\n\n");
    text.append(table(outcomes)).append('\n');
    text.append("## Targets (issue 10)\n\n");
    Targets.judge(outcomes).forEach(v -> text.append(v.markdown()).append('\n'));
    List<Outcome.Failed> failed =
        outcomes.stream()
            .filter(Outcome.Failed.class::isInstance)
            .map(Outcome.Failed.class::cast)
            .toList();
    if (!failed.isEmpty()) {
      text.append("\n## Failed rows\n\n");
      for (Outcome.Failed f : failed) {
        text.append("### ")
            .append(f.row().label)
            .append("\n\n```\n")
            .append(f.reason().strip())
            .append("\n```\n\n");
      }
    }
    List<Outcome.Measured> noted =
        outcomes.stream()
            .filter(o -> o instanceof Outcome.Measured m && !m.notes().isEmpty())
            .map(Outcome.Measured.class::cast)
            .toList();
    if (!noted.isEmpty()) {
      text.append("\n## Notes\n\n");
      for (Outcome.Measured m : noted) {
        m.notes()
            .forEach(note ->
                text.append("- ").append(m.row().label).append(": ").append(note).append('\n'));
      }
    }
    for (Outcome outcome : outcomes) {
      if (outcome instanceof Outcome.Measured m && m.profile().isPresent()) {
        text.append("\n## Profile of the ").append(m.row().label).append(" server (JFR)\n\n");
        text.append(m.profile().get());
      }
    }
    return text.toString();
  }

  /** Throughput (TCP up and down) and CPU per GB (server and client), one group per tunnel. */
  private static void chart(List<Outcome> outcomes, Path png) throws IOException {
    List<Outcome.Measured> measured =
        outcomes.stream()
            .filter(Outcome.Measured.class::isInstance)
            .map(Outcome.Measured.class::cast)
            .toList();
    List<String> labels = measured.stream().map(m -> m.row().label).toList();
    if (labels.isEmpty()) {
      labels = List.of("no row measured");
    }
    CategoryChart throughput = bars("Throughput through the tunnel", "Gbit/s");
    CategoryChart cpu = bars("CPU per GB moved (TCP runs)", "CPU-seconds per GB");
    throughput.addSeries("TCP upload", labels, values(measured, m -> m.upload().gbitPerSecond()));
    throughput.addSeries(
        "TCP download", labels, values(measured, m -> m.download().gbitPerSecond()));
    cpu.addSeries("server process", labels, values(measured, m -> m.serverCpuPerGb().orElse(0)));
    cpu.addSeries("client process", labels, values(measured, m -> m.clientCpuPerGb().orElse(0)));
    BitmapEncoder.saveBitmap(
        List.of(throughput, cpu), 2, 1, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  static CategoryChart bars(String title, String unit) {
    CategoryChart chart =
        new CategoryChartBuilder().width(1000).height(420).title(title).yAxisTitle(unit).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    return chart;
  }

  private static List<Double> values(
      List<Outcome.Measured> measured,
      java.util.function.ToDoubleFunction<Outcome.Measured> figure) {
    List<Double> values = new ArrayList<>();
    measured.forEach(m -> values.add(figure.applyAsDouble(m)));
    return values.isEmpty() ? List.of(0.0) : values;
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  private static String optional(OptionalDouble value, String absent) {
    return value.isPresent() ? String.format(Locale.ROOT, "%.2f", value.getAsDouble()) : absent;
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElse("").replace("|", "/");
  }

  private static String quoted(String text) {
    return '"' + text.replace("\"", "\"\"").replace('\n', ' ') + '"';
  }
}
