package dev.ringway.server.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The limiter's counting, on a clock the test moves. */
class LoginLimiterTest {
  private final AtomicLong now = new AtomicLong();
  private final LoginLimiter limiter =
      new LoginLimiter(3, 5, Duration.ofSeconds(60), 1000, now::get);

  private static InetAddress address(String text) {
    return InetAddress.ofLiteral(text);
  }

  @Test
  void aSourceIsRefusedAfterItsFailuresUntilTheyAgeOut() {
    InetAddress guesser = address("192.0.2.7");
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.check(guesser, "user" + i)).isNull();
      limiter.failed(guesser, "user" + i);
    }

    assertThat(limiter.check(guesser, "fresh")).isNotNull();
    assertThat(limiter.check(address("192.0.2.8"), "fresh")).isNull();
    now.addAndGet(Duration.ofSeconds(61).toNanos());
    assertThat(limiter.check(guesser, "fresh")).isNull();
  }

  @Test
  void aUserIsRefusedAfterFailuresFromManySources() {
    for (int i = 0; i < 5; i++) {
      InetAddress source = address("198.51.100." + i);
      assertThat(limiter.check(source, "admin")).isNull();
      limiter.failed(source, "admin");
    }

    LoginLimiter.Refusal refusal = limiter.check(address("203.0.113.1"), "admin");
    assertThat(refusal).isNotNull();
    assertThat(refusal.message()).contains("for this user");
    assertThat(limiter.check(address("203.0.113.1"), "someone-else")).isNull();
  }

  @Test
  void refusedAttemptsKeepAPersistentGuesserOut() {
    InetAddress guesser = address("192.0.2.7");
    for (int i = 0; i < 3; i++) {
      limiter.failed(guesser, "admin");
    }
    for (int second = 0; second < 120; second++) {
      now.addAndGet(Duration.ofSeconds(1).toNanos());
      assertThat(limiter.check(guesser, "admin")).as("second %d", second).isNotNull();
    }

    assertThat(limiter.refused()).isEqualTo(120);
  }

  @Test
  void oneSourceCannotLockAUserOutOnItsOwn() {
    InetAddress guesser = address("192.0.2.7");
    for (int i = 0; i < 100; i++) {
      if (limiter.check(guesser, "admin") == null) {
        limiter.failed(guesser, "admin");
      }
    }

    assertThat(limiter.check(address("192.0.2.99"), "admin")).isNull();
  }

  @Test
  void anIpv6HostIsCountedByItsSlash64() {
    for (int i = 1; i <= 3; i++) {
      limiter.failed(address("2001:db8:1:2::" + i), "u" + i);
    }

    assertThat(limiter.check(address("2001:db8:1:2::ffff"), "other")).isNotNull();
    assertThat(limiter.check(address("2001:db8:1:3::1"), "other")).isNull();
  }
}
