package dev.ringway.uring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringway.testkit.KernelTest;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@KernelTest
class SetupOptionsTest {
  @Test
  void theLoopsDefaultRingIsASingleIssuerWithDeferredTaskRunAndARegisteredFd() throws Exception {
    try (Ring ring = Ring.open(RingOptions.singleIssuer(16))) {
      assertThat(ring.setupFlags())
          .contains(SetupFlag.SINGLE_ISSUER, SetupFlag.DEFER_TASKRUN, SetupFlag.SUBMIT_ALL);
      assertThat(ring.ringFdRegistered()).isTrue();
      ring.prepNop(1);
      assertThat(new Completions().awaitOne(ring, 1).res()).isZero();
    }
  }

  @Test
  void aDisabledRingRefusesSubmissionsUntilItsOwnerThreadEnablesIt() throws Exception {
    Ring ring =
        Ring.open(
            RingOptions.singleIssuer(8)
                .withFlags(SetupFlag.R_DISABLED)
                .withRegisteredRingFd(false));
    ring.prepNop(1);
    assertThatThrownBy(ring::submit)
        .isInstanceOfSatisfying(
            LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("EBADFD"));

    CompletableFuture<Integer> result = new CompletableFuture<>();
    Thread.ofPlatform()
        .start(() -> {
          try {
            ring.enable();
            int res = new Completions().awaitOne(ring, 1).res();
            ring.close();
            result.complete(res);
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        })
        .join();
    assertThat(result.get()).isZero();
  }

  @Test
  void aSingleIssuerRingRejectsEntersFromOtherThreads() throws Exception {
    try (Ring ring = Ring.open(RingOptions.singleIssuer(8).withRegisteredRingFd(false))) {
      CompletableFuture<Throwable> failure = new CompletableFuture<>();
      Thread.ofPlatform()
          .start(() -> {
            try {
              ring.prepNop(1);
              ring.submit();
              failure.complete(null);
            } catch (Throwable t) {
              failure.complete(t);
            }
          })
          .join();
      assertThat(failure.get())
          .isInstanceOfSatisfying(
              LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("EEXIST"));
      assertThat(new Completions().awaitOne(ring, 1).res()).isZero();
    }
  }

  @Test
  void clampLimitsOversizedQueuesInsteadOfFailing() throws Exception {
    assertThatThrownBy(() -> Ring.open(RingOptions.of(1 << 20)))
        .isInstanceOfSatisfying(
            LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("EINVAL"));
    try (Ring ring = Ring.open(RingOptions.of(1 << 20).withFlags(SetupFlag.CLAMP))) {
      assertThat(ring.sqEntries()).isEqualTo(32768);
    }
  }

  @Test
  void theCompletionQueueSizeCanBeChosen() throws Exception {
    try (Ring ring = Ring.open(RingOptions.of(8).withCqEntries(64))) {
      assertThat(ring.sqEntries()).isEqualTo(8);
      assertThat(ring.cqEntries()).isEqualTo(64);
    }
  }

  @Test
  void submitAllKeepsSubmittingPastAnEntryTheKernelRejects() throws Exception {
    int invalidSqeFlag = 1 << 7;
    try (Ring ring = Ring.open(RingOptions.of(8).withFlags(SetupFlag.SUBMIT_ALL))) {
      ring.prepNop(1);
      ring.flagLast(invalidSqeFlag);
      ring.prepNop(2);
      assertThat(ring.submit()).isEqualTo(2);
      Completions completions = new Completions();
      completions.await(ring, 2);
      assertThat(completions.of(1).res()).isEqualTo(-Errno.EINVAL);
      assertThat(completions.of(2).res()).isZero();
    }
    try (Ring ring = Ring.open(RingOptions.of(8))) {
      ring.prepNop(1);
      ring.flagLast(invalidSqeFlag);
      ring.prepNop(2);
      assertThat(ring.submit()).isEqualTo(1);
      Completions completions = new Completions();
      completions.await(ring, 2);
      assertThat(completions.of(2).res()).isZero();
    }
  }

  @Test
  void cooperativeTaskRunDeliversCompletionsOnTheNextEnter() throws Exception {
    try (Ring ring = Ring.open(RingOptions.of(8).withFlags(SetupFlag.COOP_TASKRUN))) {
      assertThat(ring.setupFlags()).contains(SetupFlag.COOP_TASKRUN);
      ring.prepNop(1);
      assertThat(new Completions().awaitOne(ring, 1).res()).isZero();
    }
  }

  @Test
  void ioWorkerLimitsAreSetAndReportedBack() throws Exception {
    try (Ring ring = Ring.open(RingOptions.of(8))) {
      ring.setIowqMaxWorkers(3, 7);
      assertThat(ring.setIowqMaxWorkers(0, 0)).containsExactly(3, 7);
    }
  }

  @Test
  void msgRingPostsACompletionOnAnotherRing() throws Exception {
    try (Ring sender = Ring.open(RingOptions.of(8));
        Ring receiver = Ring.open(RingOptions.of(8))) {
      sender.prepMsgRing(receiver.fd(), 42, 777, 1);
      assertThat(new Completions().awaitOne(sender, 1).res()).isZero();
      var delivered = new Completions().awaitOne(receiver, 777);
      assertThat(delivered.res()).isEqualTo(42);
    }
  }
}
