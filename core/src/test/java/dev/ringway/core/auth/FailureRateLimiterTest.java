package dev.ringway.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.core.auth.FailureRateLimiter.Policy;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Failures counted per user and per source prefix, leaking away with time and nothing else. */
class FailureRateLimiterTest {
  final ManualClock clock = new ManualClock();
  final FailureRateLimiter limiter = FailureRateLimiter.standard(clock);
  final InetAddress guesser = InetAddress.ofLiteral("198.51.100.7");

  @Test
  void fiveFailuresForOneUserBlockThatUserOnly() {
    for (int i = 0; i < 4; i++) {
      limiter.recordFailure(guesser, "alice");
      assertThat(limiter.allows(guesser, "alice")).isTrue();
    }
    limiter.recordFailure(guesser, "alice");

    assertThat(limiter.allows(guesser, "alice")).isFalse();
    assertThat(limiter.allows(InetAddress.ofLiteral("203.0.113.9"), "alice"))
        .as("the user is limited from everywhere")
        .isFalse();
    assertThat(limiter.allows(guesser, "bob")).isTrue();
  }

  @Test
  void aBlockedUserGetsOneMoreAttemptPerInterval() {
    for (int i = 0; i < 5; i++) {
      limiter.recordFailure(guesser, "alice");
    }
    clock.advance(Duration.ofSeconds(11));
    assertThat(limiter.allows(guesser, "alice")).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.allows(guesser, "alice")).isTrue();
    limiter.recordFailure(guesser, "alice");
    assertThat(limiter.allows(guesser, "alice")).isFalse();
  }

  @Test
  void failuresSpreadBeyondTheSustainedRateDoNotBlock() {
    for (int i = 0; i < 50; i++) {
      assertThat(limiter.allows(guesser, "alice")).isTrue();
      limiter.recordFailure(guesser, "alice");
      clock.advance(Duration.ofSeconds(12));
    }
  }

  @Test
  void guessesSpreadOverASlash24AreLimitedTogether() {
    int checked = 0;
    for (int host = 1; host <= 254; host++) {
      InetAddress source = InetAddress.ofLiteral("198.51.100." + host);
      String user = "user" + host; // a different account each time: only the prefix limits
      if (limiter.allows(source, user)) {
        checked++;
        limiter.recordFailure(source, user);
      }
    }
    assertThat(checked).isEqualTo(FailureRateLimiter.PER_PREFIX.burst());
    assertThat(limiter.allows(InetAddress.ofLiteral("198.51.100.200"), "carol")).isFalse();
  }

  @Test
  void aDifferentPrefixIsUnaffected() {
    for (int i = 0; i < 40; i++) {
      limiter.recordFailure(InetAddress.ofLiteral("198.51.100." + (i + 1)), "user" + i);
    }
    assertThat(limiter.allows(InetAddress.ofLiteral("198.51.100.99"), "dave")).isFalse();
    assertThat(limiter.allows(InetAddress.ofLiteral("198.51.101.1"), "dave")).isTrue();
  }

  @Test
  void ipv6SourcesAreCountedPerSlash64() {
    for (int i = 0; i < 20; i++) {
      limiter.recordFailure(
          InetAddress.ofLiteral("2001:db8:0:1::" + Integer.toHexString(i + 1)), null);
    }
    assertThat(limiter.allows(InetAddress.ofLiteral("2001:db8:0:1:ffff::1"), null)).isFalse();
    assertThat(limiter.allows(InetAddress.ofLiteral("2001:db8:0:2::1"), null)).isTrue();
  }

  @Test
  void tokenFailuresCountAgainstThePrefixOnly() {
    for (int i = 0; i < 20; i++) {
      limiter.recordFailure(guesser, null);
    }
    assertThat(limiter.allows(guesser, null)).isFalse();
    assertThat(limiter.trackedUsers()).isZero();
    assertThat(limiter.allows(InetAddress.ofLiteral("203.0.113.1"), "alice")).isTrue();
  }

  @Test
  void memoryIsBoundedByForgettingTheLeastRecentKeys() {
    FailureRateLimiter small =
        new FailureRateLimiter(
            new Policy(2, Duration.ofMinutes(1)), new Policy(2, Duration.ofMinutes(1)), 3, clock);
    for (int i = 0; i < 10_000; i++) {
      small.recordFailure(
          InetAddress.ofLiteral("10." + (i >> 8 & 0xff) + "." + (i & 0xff) + ".1"), "u" + i);
    }
    assertThat(small.trackedUsers()).isEqualTo(3);
    assertThat(small.trackedPrefixes()).isEqualTo(3);
  }
}
