package dev.ringway.bench.tunnel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * Issue 10's targets, judged from one run's outcomes: reported, never asserted. A target whose rows
 * did not both produce numbers is "not measured", with the reason.
 */
final class Targets {
  private Targets() {}

  /** A judged target. */
  record Verdict(String target, Status status, String numbers) {
    String markdown() {
      return "- **" + status.word + "** — " + target + ": " + numbers;
    }
  }

  enum Status {
    MET("met"),
    MISSED("missed"),
    NOT_MEASURED("not measured");

    final String word;

    Status(String word) {
      this.word = word;
    }
  }

  static List<Verdict> judge(List<Outcome> outcomes) {
    List<Verdict> verdicts = new ArrayList<>();
    verdicts.add(
        atLeast(
            "ringway udp/uring TCP upload ≥ 2× OpenVPN's",
            outcomes,
            Row.RINGWAY_UDP_URING,
            Row.OPENVPN,
            m -> m.upload().gbitPerSecond(),
            2.0,
            "Gbit/s"));
    verdicts.add(
        atLeast(
            "ringway udp/uring TCP download ≥ 2× OpenVPN's",
            outcomes,
            Row.RINGWAY_UDP_URING,
            Row.OPENVPN,
            m -> m.download().gbitPerSecond(),
            2.0,
            "Gbit/s"));
    verdicts.add(
        atMost(
            "ringway udp/uring server CPU-seconds per GB ≤ 0.5× OpenVPN's",
            outcomes,
            Row.RINGWAY_UDP_URING,
            Row.OPENVPN,
            0.5));
    verdicts.add(
        atMost(
            "uring engine server CPU-seconds per GB ≤ 0.7× the nio engine's (both udp, both at"
                + " iperf3's saturating load, so not strictly equal load)",
            outcomes,
            Row.RINGWAY_UDP_URING,
            Row.RINGWAY_UDP_NIO,
            0.7));
    return verdicts;
  }

  private static Verdict atLeast(
      String target,
      List<Outcome> outcomes,
      Row ours,
      Row theirs,
      ToDoubleFunction<Outcome.Measured> figure,
      double factor,
      String unit) {
    Optional<String> missing = missing(outcomes, ours, theirs);
    if (missing.isPresent()) {
      return new Verdict(target, Status.NOT_MEASURED, missing.get());
    }
    double a = figure.applyAsDouble(measured(outcomes, ours));
    double b = figure.applyAsDouble(measured(outcomes, theirs));
    double ratio = a / b;
    return new Verdict(
        target,
        ratio >= factor ? Status.MET : Status.MISSED,
        String.format(Locale.ROOT, "%.2f vs %.2f %s = %.2f×", a, b, unit, ratio));
  }

  private static Verdict atMost(
      String target, List<Outcome> outcomes, Row ours, Row theirs, double factor) {
    Optional<String> missing = missing(outcomes, ours, theirs);
    if (missing.isPresent()) {
      return new Verdict(target, Status.NOT_MEASURED, missing.get());
    }
    OptionalDouble a = measured(outcomes, ours).serverCpuPerGb();
    OptionalDouble b = measured(outcomes, theirs).serverCpuPerGb();
    if (a.isEmpty() || b.isEmpty()) {
      return new Verdict(target, Status.NOT_MEASURED, "no server CPU figure");
    }
    double ratio = a.getAsDouble() / b.getAsDouble();
    return new Verdict(
        target,
        ratio <= factor ? Status.MET : Status.MISSED,
        String.format(
            Locale.ROOT, "%.2f vs %.2f CPU-s/GB = %.2f×", a.getAsDouble(), b.getAsDouble(), ratio));
  }

  private static Optional<String> missing(List<Outcome> outcomes, Row... rows) {
    List<String> reasons = new ArrayList<>();
    for (Row row : rows) {
      Optional<Outcome> outcome = outcomes.stream().filter(o -> o.row() == row).findFirst();
      if (outcome.isEmpty()) {
        reasons.add(row.label + " was not run");
      } else if (outcome.get() instanceof Outcome.Failed failed) {
        reasons.add(row.label + " failed (" + failed.reason().lines().findFirst().orElse("") + ")");
      }
    }
    return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
  }

  private static Outcome.Measured measured(List<Outcome> outcomes, Row row) {
    return outcomes.stream()
        .filter(o -> o.row() == row)
        .map(Outcome.Measured.class::cast)
        .findFirst()
        .orElseThrow();
  }
}
