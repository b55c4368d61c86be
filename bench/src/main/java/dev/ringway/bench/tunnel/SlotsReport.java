package dev.ringway.bench.tunnel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Writes a slot sweep as {@code slots-<time>.csv}, {@code .md} and {@code .png} (throughput and
 * EAGAIN per second and server CPU per GB against the slot count, one line per sweep), copied to
 * {@code slots-latest.*} unless the run was a {@code --quick} smoke run.
 */
final class SlotsReport {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmm'Z'", Locale.ROOT);
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT);

  private SlotsReport() {}

  static void write(
      Path results,
      ZonedDateTime started,
      boolean smoke,
      Machine machine,
      String settings,
      List<SlotsBench.Step> steps)
      throws IOException {
    Files.createDirectories(results);
    String name = "slots-" + STAMP.format(started) + (smoke ? "-quick" : "");
    StringBuilder csv =
        new StringBuilder("sweep,slots,tcp_gbit_s,eagain_per_s,server_cpu_s_per_gb\n");
    for (SlotsBench.Step step : steps) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%d,%.3f,%.1f,%.2f%n",
              step.sweep().name().toLowerCase(Locale.ROOT),
              step.slots(),
              step.gbitPerSecond(),
              step.eagainPerSecond(),
              step.serverCpuPerGb()));
    }
    Files.writeString(results.resolve(name + ".csv"), csv);
    Files.writeString(
        results.resolve(name + ".md"),
        "# Slot sweep, "
            + WHEN.format(started)
            + "\n\n"
            + machine.markdown()
            + "- Settings: "
            + settings
            + "\n\n"
            + table(steps));
    chart(steps, results.resolve(name + ".png"));
    // A smoke run is kept under its own name and never becomes the latest result.
    for (String extension : smoke ? List.<String>of() : List.of(".csv", ".md", ".png")) {
      Files.copy(
          results.resolve(name + extension),
          results.resolve("slots-latest" + extension),
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** One row per slot count, a throughput and an EAGAIN/s column pair per sweep. */
  static String table(List<SlotsBench.Step> steps) {
    StringBuilder text = new StringBuilder("| slots |");
    StringBuilder rule = new StringBuilder("|---:|");
    for (SlotsBench.Sweep sweep : SlotsBench.Sweep.values()) {
      text.append(" ").append(sweep.label).append(": Gbit/s | EAGAIN/s | server CPU-s/GB |");
      rule.append("---:|---:|---:|");
    }
    text.append('\n').append(rule).append('\n');
    for (int slots : SlotsBench.SLOTS) {
      text.append("| ").append(slots).append(" |");
      for (SlotsBench.Sweep sweep : SlotsBench.Sweep.values()) {
        steps.stream()
            .filter(s -> s.sweep() == sweep && s.slots() == slots)
            .findFirst()
            .ifPresentOrElse(
                s ->
                    text.append(
                        String.format(
                            Locale.ROOT,
                            " %.2f | %,.0f | %.2f |",
                            s.gbitPerSecond(),
                            s.eagainPerSecond(),
                            s.serverCpuPerGb())),
                () -> text.append(" — | — | — |"));
      }
      text.append('\n');
    }
    return text.toString();
  }

  private static void chart(List<SlotsBench.Step> steps, Path png) throws IOException {
    XYChart throughput = lines("Throughput by slot count", "Gbit/s");
    XYChart eagain = lines("EAGAIN completions per second on the swept path", "EAGAIN/s");
    XYChart cpu = lines("Server CPU per GB moved", "CPU-seconds per GB");
    for (SlotsBench.Sweep sweep : SlotsBench.Sweep.values()) {
      List<SlotsBench.Step> mine = steps.stream().filter(s -> s.sweep() == sweep).toList();
      if (mine.isEmpty()) {
        continue;
      }
      List<Integer> x = mine.stream().map(SlotsBench.Step::slots).toList();
      throughput.addSeries(
          sweep.label, x, mine.stream().map(SlotsBench.Step::gbitPerSecond).toList());
      cpu.addSeries(sweep.label, x, mine.stream().map(SlotsBench.Step::serverCpuPerGb).toList());
      // A log axis cannot show zero: a sweep with no EAGAIN at all is drawn at the axis floor
      // (1/s).
      eagain.addSeries(
          sweep.label, x, mine.stream().map(s -> Math.max(1.0, s.eagainPerSecond())).toList());
    }
    eagain.getStyler().setYAxisLogarithmic(true);
    BitmapEncoder.saveBitmap(
        List.of(throughput, eagain, cpu), 3, 1, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static XYChart lines(String title, String unit) {
    XYChart chart =
        new XYChartBuilder()
            .width(1000)
            .height(420)
            .title(title)
            .xAxisTitle("slots")
            .yAxisTitle(unit)
            .build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    return chart;
  }
}
