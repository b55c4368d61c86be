package dev.ringway.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.KernelTest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The loop's steady state allocates nothing: preparing entries, submitting, waiting and draining
 * through a handler object. Measured with the JVM's per-thread allocation counter once the JIT has
 * compiled the loop (before that, the downcall adapters allocate).
 */
@KernelTest
class HotPathAllocationTest {
  private static final class Counter implements CqeHandler {
    long completions;

    @Override
    public void handle(long userData, int res, int flags) {
      completions++;
    }
  }

  @Test
  void prepareSubmitWaitAndDrainAllocateNothingInSteadyState() throws Exception {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().threadId();
    try (Ring ring = Ring.open(RingOptions.singleIssuer(64));
        Arena arena = Arena.ofConfined()) {
      int[] pipe = LinuxFiles.pipe(LinuxFiles.O_CLOEXEC);
      MemorySegment buffer = arena.allocate(64);
      Counter counter = new Counter();
      try {
        // Downcalls allocate until C2 has compiled the loop; steady state is what counts.
        long allocated = -1;
        int rounds = 0;
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (; allocated != 0 && System.nanoTime() - deadline < 0; rounds++) {
          long before = threads.getThreadAllocatedBytes(thread);
          iterate(ring, pipe, buffer, counter, 5_000);
          allocated = threads.getThreadAllocatedBytes(thread) - before;
        }
        assertThat(allocated).as("bytes allocated by 5,000 warm loop iterations").isZero();
        long before = threads.getThreadAllocatedBytes(thread);
        iterate(ring, pipe, buffer, counter, 5_000);
        assertThat(threads.getThreadAllocatedBytes(thread) - before).isZero();
        assertThat(counter.completions).isEqualTo(4L * 5_000 * (rounds + 1));
      } finally {
        LinuxFiles.close(pipe[0]);
        LinuxFiles.close(pipe[1]);
      }
    }
  }

  private static void iterate(
      Ring ring, int[] pipe, MemorySegment buffer, Counter counter, int iterations)
      throws LinuxException {
    for (int i = 0; i < iterations; i++) {
      ring.prepWrite(pipe[1], buffer, 4, -1, i);
      ring.prepRead(pipe[0], buffer, 4, -1, i);
      ring.prepTimeout(1_000_000_000L, 1, 0, i);
      ring.prepTimeoutRemove(i, i);
      ring.submitAndWait(4, 1_000_000_000L);
      while (ring.drain(counter) == 0) {
        ring.submitAndWait(1);
      }
      while (ring.inFlight() > 0) {
        ring.submitAndWait(1);
        ring.drain(counter);
      }
    }
  }
}
