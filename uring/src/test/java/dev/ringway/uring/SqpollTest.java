package dev.ringway.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.Await;
import dev.ringway.testkit.KernelTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@KernelTest
class SqpollTest {
  @Test
  void thePollingThreadSubmitsGoesIdleAndIsWokenForTheNextEntry() throws Exception {
    try (Ring ring = Ring.open(RingOptions.of(8).withSqpoll(5))) {
      assertThat(ring.setupFlags()).contains(SetupFlag.SQPOLL);
      ring.prepNop(1);
      Completions completions = new Completions();
      assertThat(completions.awaitOne(ring, 1).res()).isZero();

      Await.until("the SQPOLL thread to go idle", Duration.ofSeconds(5), ring::sqpollNeedsWakeup);
      long wakeups = ring.sqpollWakeups();
      ring.prepNop(2);
      assertThat(ring.submit()).isEqualTo(1);
      assertThat(ring.sqpollWakeups()).isEqualTo(wakeups + 1);
      assertThat(completions.awaitOne(ring, 2).res()).isZero();
    }
  }

  @Test
  void whileThePollingThreadIsAwakeSubmittingNeedsNoSystemCall() throws Exception {
    try (Ring ring = Ring.open(RingOptions.of(8).withSqpoll(2000))) {
      ring.prepNop(1);
      Completions completions = new Completions();
      completions.awaitOne(ring, 1);
      long enters = ring.enters();
      ring.prepNop(2);
      ring.submit();
      assertThat(ring.enters()).isEqualTo(enters);
      Await.until("the poller to complete the nop", Duration.ofSeconds(5), () -> ring.ready() > 0);
      ring.drain(completions);
      assertThat(completions.of(2).res()).isZero();
    }
  }
}
