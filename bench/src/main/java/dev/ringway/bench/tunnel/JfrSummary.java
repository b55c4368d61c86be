package dev.ringway.bench.tunnel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JVM spent its time, from a flight recording's {@code jdk.ExecutionSample} events: the
 * methods most often on top of the stack, and the threads most often sampled. The same reading as
 * {@code jfr print --events jdk.ExecutionSample}, tallied.
 */
final class JfrSummary {
  private static final int TOP = 15;

  private JfrSummary() {}

  /** A Markdown summary of {@code recording}, or why there is none. */
  static String of(Path recording) {
    List<RecordedEvent> samples;
    try {
      samples =
          RecordingFile.readAllEvents(recording).stream()
              .filter(event -> event.getEventType().getName().equals("jdk.ExecutionSample"))
              .toList();
    } catch (IOException e) {
      return "No profile: cannot read " + recording + " (" + e.getMessage() + ").\n";
    }
    if (samples.isEmpty()) {
      return "No profile: " + recording + " holds no execution samples.\n";
    }
    Map<String, Integer> topFrames = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    for (RecordedEvent sample : samples) {
      List<RecordedFrame> frames =
          sample.getStackTrace() == null ? List.of() : sample.getStackTrace().getFrames();
      String top =
          frames.isEmpty()
              ? "(no Java frame)"
              : frames.getFirst().getMethod().getType().getName()
                  + "."
                  + frames.getFirst().getMethod().getName();
      topFrames.merge(top, 1, Integer::sum);
      String thread =
          sample.getThread("sampledThread") == null
              ? "?"
              : sample.getThread("sampledThread").getJavaName();
      threads.merge(thread, 1, Integer::sum);
    }
    StringBuilder text = new StringBuilder();
    text.append(samples.size())
        .append(" execution samples (Java code only: time in the kernel, in")
        .append(
            " io_uring's workers and in native calls shows as the Java frame that made the call).\n\n");
    text.append("| % of samples | thread |\n|---:|---|\n");
    table(text, threads, samples.size(), 5);
    text.append("\n| % of samples | top frame |\n|---:|---|\n");
    table(text, topFrames, samples.size(), TOP);
    return text.toString();
  }

  private static void table(StringBuilder text, Map<String, Integer> counts, int total, int rows) {
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
        .limit(rows)
        .forEach(entry ->
            text.append(
                String.format(
                    Locale.ROOT,
                    "| %.1f | `%s` |%n",
                    100.0 * entry.getValue() / total,
                    entry.getKey())));
  }
}
