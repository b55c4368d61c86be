package dev.ringway.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.KernelTest;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

@KernelTest
class TimeoutTest {
  @Test
  void aTimeoutFiresWithEtime() throws Exception {
    try (Ring ring = Ring.open(RingOptions.singleIssuer(4))) {
      ring.prepTimeout(10_000_000L, 0, 0, 1);
      long started = System.nanoTime();
      assertThat(new Completions().awaitOne(ring, 1).res()).isEqualTo(-Errno.ETIME);
      assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(10_000_000L);
    }
  }

  @Test
  void aRemovedTimeoutCompletesWithEcanceledAndTheRemovalWithZero() throws Exception {
    try (Ring ring = Ring.open(RingOptions.singleIssuer(4))) {
      ring.prepTimeout(60_000_000_000L, 0, 0, 1);
      ring.submit();
      ring.prepTimeoutRemove(1, 2);
      Completions completions = new Completions();
      completions.await(ring, 2);
      assertThat(completions.of(1).res()).isEqualTo(-Errno.ECANCELED);
      assertThat(completions.of(2).res()).isZero();
    }
  }

  @Test
  void aCountedTimeoutCompletesWithZeroAfterThatManyCompletions() throws Exception {
    try (Ring ring = Ring.open(RingOptions.of(8))) {
      ring.prepTimeout(60_000_000_000L, 2, 0, 1);
      ring.submit();
      ring.prepNop(2);
      ring.prepNop(3);
      Completions completions = new Completions();
      completions.await(ring, 3);
      assertThat(completions.of(1).res()).isZero();
    }
  }

  @Test
  void aLinkTimeoutCancelsTheReadItBounds() throws Exception {
    int[] pipe = LinuxFiles.pipe(LinuxFiles.O_CLOEXEC);
    try (Ring ring = Ring.open(RingOptions.of(8))) {
      Arena arena = ring.adopt(Arena.ofShared());
      ring.prepRead(pipe[0], arena.allocate(8), 8, -1, 1);
      ring.flagLast(Sqe.IO_LINK);
      ring.prepLinkTimeout(10_000_000L, 0, 2);
      Completions completions = new Completions();
      completions.await(ring, 2);
      assertThat(completions.of(1).res()).isEqualTo(-Errno.ECANCELED);
      assertThat(completions.of(2).res()).isEqualTo(-Errno.ETIME);
    } finally {
      LinuxFiles.close(pipe[0]);
      LinuxFiles.close(pipe[1]);
    }
  }
}
