package dev.ringway.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ringway.testkit.KernelTest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

@KernelTest
class ResizeTest {
  @Test
  void resizingWithReadsInFlightAndCompletionsUndrainedLosesNothing() throws Exception {
    try (Ring ring = Ring.open(RingOptions.singleIssuer(8))) {
      assertThat(ring.canResize()).isTrue();
      Arena arena = ring.adopt(Arena.ofShared());
      int[][] pipes = new int[4][];
      MemorySegment[] buffers = new MemorySegment[4];
      for (int i = 0; i < 4; i++) {
        pipes[i] = LinuxFiles.pipe(LinuxFiles.O_CLOEXEC);
        buffers[i] = arena.allocate(8);
        ring.prepRead(pipes[i][0], buffers[i], 8, -1, i);
      }
      ring.prepNop(100);
      ring.prepNop(101);
      ring.submit();
      assertThat(ring.ready()).isEqualTo(2);
      ring.prepNop(102);

      ring.resize(64, 256);

      assertThat(ring.sqEntries()).isEqualTo(64);
      assertThat(ring.cqEntries()).isEqualTo(256);
      assertThat(ring.inFlight()).isEqualTo(7);
      for (int i = 0; i < 4; i++) {
        LinuxFiles.write(pipes[i][1], arena.allocateFrom(JAVA_BYTE, (byte) ('a' + i)), 1);
      }
      Completions completions = new Completions();
      completions.await(ring, 7);
      assertThat(completions.seen)
          .extracting(Completions.Completion::userData)
          .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 100L, 101L, 102L);
      for (int i = 0; i < 4; i++) {
        assertThat(completions.of(i).res()).isEqualTo(1);
        assertThat(buffers[i].get(JAVA_BYTE, 0)).isEqualTo((byte) ('a' + i));
        LinuxFiles.close(pipes[i][0]);
        LinuxFiles.close(pipes[i][1]);
      }

      // The resized queue takes a batch the old one could not.
      for (long i = 0; i < 64; i++) {
        assertThat(ring.prepNop(1000 + i)).isTrue();
      }
      completions.clear();
      completions.await(ring, 64);
      assertThat(ring.sqFull()).isZero();
    }
  }

  @Test
  void aRingWithoutDeferredTaskRunCannotBeResized() throws Exception {
    assumeThat(RingFeatures.resizeSupported()).isTrue();
    try (Ring ring = Ring.open(RingOptions.of(8))) {
      assertThat(ring.canResize()).isFalse();
    }
  }
}
