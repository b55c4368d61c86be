package dev.ringway.bench.tunnel;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Round-trip times from one ping run: median and 99th percentile, and how many came back. */
record Rtt(double p50Millis, double p99Millis, int replies, int sent) {
  private static final Pattern TIME = Pattern.compile("time=([0-9.]+) ms");
  private static final Pattern TRANSMITTED = Pattern.compile("(\\d+) packets transmitted");

  /** Reads ping's output: one {@code time=} per reply and the transmitted count in the summary. */
  static Rtt parse(String pingOutput) {
    double[] times =
        TIME.matcher(pingOutput)
            .results()
            .mapToDouble(m -> Double.parseDouble(m.group(1)))
            .toArray();
    Matcher transmitted = TRANSMITTED.matcher(pingOutput);
    int sent = transmitted.find() ? Integer.parseInt(transmitted.group(1)) : times.length;
    if (times.length == 0) {
      throw new MeasurementException("no ping replies: " + lastLines(pingOutput));
    }
    Arrays.sort(times);
    return new Rtt(percentile(times, 50), percentile(times, 99), times.length, sent);
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, int percent) {
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static String lastLines(String output) {
    List<String> lines = output.lines().toList();
    return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
  }
}
