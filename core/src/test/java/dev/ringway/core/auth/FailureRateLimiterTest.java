package dev.ringway.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureRateLimiterTest {
  final ManualClock clock = new ManualClock();
  final FailureRateLimiter limiter = FailureRateLimiter.standard(clock);
  final InetAddress guesser = InetAddress.ofLiteral("198.51.100.7");
  final InetAddress bystander = InetAddress.ofLiteral("198.51.100.8");

  @Test
  void fiveFailuresWithinAMinuteBlockThatAddressOnly() {
    for (int i = 0; i < 4; i++) {
      limiter.recordFailure(guesser);
      assertThat(limiter.allows(guesser)).isTrue();
    }
    limiter.recordFailure(guesser);

    assertThat(limiter.allows(guesser)).isFalse();
    assertThat(limiter.allows(bystander)).isTrue();
  }

  @Test
  void theBlockLiftsAfterTheCooldown() {
    for (int i = 0; i < 5; i++) {
      limiter.recordFailure(guesser);
    }
    clock.advance(Duration.ofSeconds(59));
    assertThat(limiter.allows(guesser)).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.allows(guesser)).isTrue();
  }

  @Test
  void failuresSpreadBeyondTheWindowDoNotBlock() {
    for (int i = 0; i < 20; i++) {
      limiter.recordFailure(guesser);
      clock.advance(Duration.ofSeconds(15)); // four per minute
      if (i % 4 == 3) {
        clock.advance(Duration.ofSeconds(1));
      }
    }
    assertThat(limiter.allows(guesser)).isTrue();
  }

  @Test
  void aSuccessForgetsEarlierFailures() {
    for (int i = 0; i < 4; i++) {
      limiter.recordFailure(guesser);
    }
    limiter.recordSuccess(guesser);
    limiter.recordFailure(guesser);

    assertThat(limiter.allows(guesser)).isTrue();
  }

  @Test
  void memoryIsBoundedByForgettingTheLeastRecentAddress() {
    FailureRateLimiter small =
        new FailureRateLimiter(2, Duration.ofMinutes(1), Duration.ofMinutes(1), 3, clock);
    small.recordFailure(guesser);
    small.recordFailure(guesser);
    for (int i = 1; i <= 3; i++) {
      small.recordFailure(InetAddress.ofLiteral("203.0.113." + i));
    }

    assertThat(small.trackedAddresses()).isEqualTo(3);
    assertThat(small.allows(guesser)).as("forgotten, so allowed again").isTrue();
  }
}
