package dev.ringway.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.KernelTest;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

@KernelTest
class RingSubmitTest {
  @Test
  void aBatchOfNopsCompletesOncePerEntryWithItsUserData() throws Exception {
    try (Ring ring = Ring.open(RingOptions.of(64))) {
      for (long i = 0; i < 64; i++) {
        assertThat(ring.prepNop(i)).isTrue();
      }
      assertThat(ring.submitAndWait(64)).isEqualTo(64);
      Completions completions = new Completions();
      assertThat(ring.drain(completions)).isEqualTo(64);
      assertThat(completions.seen)
          .extracting(Completions.Completion::userData)
          .containsExactlyElementsOf(LongStream.range(0, 64).boxed().toList());
      assertThat(completions.seen).allSatisfy(c -> assertThat(c.res()).isZero());
      assertThat(ring.cqesReaped()).isEqualTo(64);
      assertThat(ring.enters()).isEqualTo(1);
      assertThat(ring.inFlight()).isZero();
    }
  }

  @Test
  void aFullSubmissionQueueRefusesAndCountsUntilSubmitted() throws Exception {
    try (Ring ring = Ring.open(RingOptions.of(8))) {
      for (long i = 0; i < 8; i++) {
        assertThat(ring.prepNop(i)).isTrue();
      }
      assertThat(ring.prepNop(8)).isFalse();
      assertThat(ring.prepNop(9)).isFalse();
      assertThat(ring.sqFull()).isEqualTo(2);
      assertThat(ring.inFlight()).isEqualTo(8);

      ring.submit();
      assertThat(ring.prepNop(8)).isTrue();
      new Completions().await(ring, 9);
      assertThat(ring.inFlight()).isZero();
    }
  }

  @Test
  void completionsBeyondTheQueueAreFlaggedCountedAndStillDelivered() throws Exception {
    try (Ring ring = Ring.open(RingOptions.of(4).withCqEntries(4))) {
      for (int batch = 0; batch < 4; batch++) {
        for (long i = 0; i < 4; i++) {
          ring.prepNop(batch * 4 + i);
        }
        ring.submit();
      }
      // Twelve completions did not fit the 4-entry queue; the next entry sees the flag.
      ring.submit();
      assertThat(ring.cqOverflowEvents()).isEqualTo(1);

      Completions completions = new Completions();
      completions.await(ring, 16);
      assertThat(completions.seen)
          .extracting(Completions.Completion::userData)
          .containsExactlyElementsOf(LongStream.range(0, 16).boxed().toList());
      assertThat(ring.cqDropped()).isZero();
      assertThat(ring.features()).contains(RingFeature.NODROP);
      RingStats stats = ring.stats();
      assertThat(stats.cqOverflowEvents()).isEqualTo(1);
      assertThat(stats.cqesReaped()).isEqualTo(16);
      assertThat(stats.inFlight()).isZero();
      assertThat(stats.cqEntries()).isEqualTo(4);
    }
  }

  @Test
  void submitWithNothingPreparedDoesNotEnterTheKernel() throws Exception {
    try (Ring ring = Ring.open(RingOptions.of(4))) {
      assertThat(ring.submit()).isZero();
      assertThat(ring.enters()).isZero();
    }
  }

  @Test
  void waitingWithATimeoutReturnsWhenNothingCompletes() throws Exception {
    try (Ring ring = Ring.open(RingOptions.of(4))) {
      long started = System.nanoTime();
      assertThat(ring.submitAndWait(1, 20_000_000L)).isZero();
      assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(15_000_000L);
      assertThat(ring.ready()).isZero();
    }
  }

  @Test
  void skippedSuccessesPostNothingAndAreNotCountedInFlight() throws Exception {
    try (Ring ring = Ring.open(RingOptions.of(4))) {
      ring.prepNop(1);
      ring.flagLast(Sqe.CQE_SKIP_SUCCESS);
      ring.prepNop(2);
      assertThat(ring.inFlight()).isEqualTo(1);
      Completions completions = new Completions();
      completions.await(ring, 1);
      ring.submitAndWait(0, 10_000_000L);
      ring.drain(completions);
      assertThat(completions.seen).extracting(Completions.Completion::userData).containsExactly(2L);
      assertThat(ring.inFlight()).isZero();
    }
  }
}
