package dev.ringway.bench.tunnel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * One row's outcomes from several rounds, as one: each figure the median of the rounds that were
 * measured, a note giving every round's throughput and server CPU so the spread is visible, and a
 * note per failed round. A row no round measured is failed, with every round's reason.
 */
final class Rounds {
  private Rounds() {}

  static Outcome combine(Row row, List<Outcome> rounds) {
    if (rounds.size() == 1) {
      return rounds.getFirst();
    }
    List<Outcome.Measured> measured = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (int i = 0; i < rounds.size(); i++) {
      String round = "round " + (i + 1);
      switch (rounds.get(i)) {
        case Outcome.Measured m -> {
          measured.add(m);
          m.notes().forEach(note -> notes.add(round + ": " + note));
        }
        case Outcome.Failed f -> notes.add(round + " failed: " + f.reason());
      }
    }
    if (measured.isEmpty()) {
      return new Outcome.Failed(row, String.join("; ", notes));
    }
    notes.addFirst(spread(measured));
    return new Outcome.Measured(
        row,
        new Iperf.Tcp(
            median(measured, m -> m.upload().gbitPerSecond()),
            (long) median(measured, m -> m.upload().bytes())),
        new Iperf.Tcp(
            median(measured, m -> m.download().gbitPerSecond()),
            (long) median(measured, m -> m.download().bytes())),
        new Iperf.Udp(
            median(measured, m -> m.udp().deliveredPerSecond()),
            median(measured, m -> m.udp().lossPercent())),
        rtt(measured, Outcome.Measured::idle),
        rtt(measured, Outcome.Measured::loaded),
        cpu(measured, Outcome.Measured::serverCpuPerGb),
        cpu(measured, Outcome.Measured::clientCpuPerGb),
        notes,
        measured.stream().flatMap(m -> m.profile().stream()).findFirst());
  }

  /** Median of {@code values}; the mean of the middle two for an even count. */
  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private static double median(
      List<Outcome.Measured> rounds, ToDoubleFunction<Outcome.Measured> figure) {
    return median(rounds.stream().mapToDouble(figure).toArray());
  }

  private static Rtt rtt(List<Outcome.Measured> rounds, Function<Outcome.Measured, Rtt> which) {
    return new Rtt(
        median(rounds, m -> which.apply(m).p50Millis()),
        median(rounds, m -> which.apply(m).p99Millis()),
        rounds.stream().mapToInt(m -> which.apply(m).replies()).sum(),
        rounds.stream().mapToInt(m -> which.apply(m).sent()).sum());
  }

  private static OptionalDouble cpu(
      List<Outcome.Measured> rounds, Function<Outcome.Measured, OptionalDouble> which) {
    double[] values =
        rounds.stream()
            .map(which)
            .filter(OptionalDouble::isPresent)
            .mapToDouble(OptionalDouble::getAsDouble)
            .toArray();
    return values.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(median(values));
  }

  private static String spread(List<Outcome.Measured> rounds) {
    String text =
        "per round: TCP up "
            + each(rounds, m -> m.upload().gbitPerSecond())
            + ", down "
            + each(rounds, m -> m.download().gbitPerSecond())
            + " Gbit/s";
    Optional<String> cpu =
        rounds.getFirst().serverCpuPerGb().isPresent()
            ? Optional.of(
                ", server CPU " + each(rounds, m -> m.serverCpuPerGb().orElse(0)) + " s/GB")
            : Optional.empty();
    return text + cpu.orElse("");
  }

  private static String each(
      List<Outcome.Measured> rounds, ToDoubleFunction<Outcome.Measured> figure) {
    return rounds.stream()
        .map(m -> String.format(Locale.ROOT, "%.2f", figure.applyAsDouble(m)))
        .collect(Collectors.joining(" / "));
  }
}
