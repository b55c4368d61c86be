package dev.ringway.console.link;

import dev.ringway.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A {@link ServerLink.Listener} that keeps everything it hears, for tests to wait on. */
final class Recorder implements ServerLink.Listener {
  static final Duration SOON = Duration.ofSeconds(20);

  final List<LinkState> states = new CopyOnWriteArrayList<>();
  final List<Sample> samples = new CopyOnWriteArrayList<>();
  final List<Rates> rates = new CopyOnWriteArrayList<>();
  final List<ServerEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void stateChanged(LinkState state) {
    states.add(state);
  }

  @Override
  public void sampled(Sample sample, Rates rates) {
    samples.add(sample);
    if (rates != null) {
      this.rates.add(rates);
    }
  }

  @Override
  public void event(ServerEvent event) {
    events.add(event);
  }

  /** The newest state of {@code type}; fails at once when the link fails instead. */
  <T extends LinkState> T awaitState(Class<T> type) {
    return Await.value(
        "link state " + type.getSimpleName(),
        SOON,
        () -> {
          for (LinkState state : states.reversed()) {
            if (type.isInstance(state)) {
              return type.cast(state);
            }
            if (state instanceof LinkState.Failed failed) {
              throw new AssertionError("the link failed instead: " + failed.describe());
            }
          }
          return null;
        });
  }

  Rates awaitRates(Predicate<Rates> matching, String what) {
    return Await.value(
        what, SOON, () -> rates.stream().filter(matching).reduce((a, b) -> b).orElse(null));
  }

  ServerEvent awaitEvent(Predicate<ServerEvent> matching, String what) {
    return Await.value(what, SOON, () -> events.stream().filter(matching).findFirst().orElse(null));
  }
}
