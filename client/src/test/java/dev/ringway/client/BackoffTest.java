package dev.ringway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void waitsDoubleFromTheInitialUpToTheMaximumEachShortenedByAtMostAQuarter() {
    Backoff backoff = new Backoff(SECOND, Duration.ofSeconds(8), new SplittableRandom(1));

    long[] bases = {1, 2, 4, 8, 8, 8};
    for (long base : bases) {
      Duration wait = backoff.next();
      assertThat(wait)
          .isLessThanOrEqualTo(Duration.ofSeconds(base))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(base).multipliedBy(3).dividedBy(4));
    }
  }

  @Test
  void jitterSpreadsTheWaitsOfClientsDroppedTogether() {
    long distinct =
        new SplittableRandom(7)
            .longs(50)
            .mapToObj(seed -> new Backoff(SECOND, SECOND, new SplittableRandom(seed)).next())
            .distinct()
            .count();

    assertThat(distinct).isGreaterThan(40);
  }

  @Test
  void resetStartsAgainFromTheInitialWait() {
    Backoff backoff = new Backoff(SECOND, Duration.ofSeconds(30), new SplittableRandom(3));
    for (int i = 0; i < 5; i++) {
      backoff.next();
    }

    backoff.reset();

    assertThat(backoff.next()).isLessThanOrEqualTo(SECOND);
  }

  @Test
  void aMaximumBelowTheInitialWaitIsRefused() {
    assertThatThrownBy(() -> new Backoff(SECOND, Duration.ofMillis(500), new SplittableRandom()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
