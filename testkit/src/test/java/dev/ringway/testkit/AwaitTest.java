package dev.ringway.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

  @Test
  void returnsOnceTheConditionHolds() {
    AtomicInteger polls = new AtomicInteger();
    Await.until("three polls", Duration.ofSeconds(5), () -> polls.incrementAndGet() >= 3);
    assertThat(polls).hasValue(3);
  }

  @Test
  void failsNamingWhatItWaitedFor() {
    assertThatThrownBy(() -> Await.until("the impossible", Duration.ofMillis(50), () -> false))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the impossible")
        .hasMessageContaining("PT0.05S");
  }

  @Test
  void valueReturnsTheFirstNonNull() {
    AtomicInteger polls = new AtomicInteger();
    String value =
        Await.value(
            "a value", Duration.ofSeconds(5), () -> polls.incrementAndGet() < 2 ? null : "x");
    assertThat(value).isEqualTo("x");
  }
}
