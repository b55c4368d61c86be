package dev.ringway.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.KernelTest;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A signal that interrupts the loop's wait is not an error: the call returns, the loop drains and
 * waits again. The JVM catches SIGPIPE and ignores it, so it interrupts a system call harmlessly.
 */
@KernelTest
class EnterInterruptTest {
  private static final boolean ARM64 = System.getProperty("os.arch").equals("aarch64");
  private static final long SYS_GETTID = ARM64 ? 178 : 186;
  private static final long SYS_TGKILL = ARM64 ? 131 : 234;
  private static final long SIGPIPE = 13;

  @Test
  void aSignalDuringTheWaitIsCountedAndReturnsWithoutCompletions() throws Exception {
    MemorySegment capture = Arena.ofAuto().allocate(Linker.Option.captureStateLayout());
    long pid = ProcessHandle.current().pid();
    long tid = syscall(capture, SYS_GETTID, 0, 0, 0);
    try (Ring ring = Ring.open(RingOptions.of(4))) {
      AtomicBoolean waiting = new AtomicBoolean(true);
      Thread signaller =
          Thread.ofPlatform()
              .start(() -> {
                MemorySegment own = Arena.ofAuto().allocate(Linker.Option.captureStateLayout());
                while (waiting.get()) {
                  syscall(own, SYS_TGKILL, pid, tid, SIGPIPE);
                  java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
                }
              });
      try {
        assertThat(ring.submitAndWait(1, 10_000_000_000L)).isZero();
      } finally {
        waiting.set(false);
        signaller.join();
      }
      assertThat(ring.enterInterrupted()).isEqualTo(1);
      assertThat(ring.ready()).isZero();
    }
  }

  private static long syscall(MemorySegment capture, long number, long a, long b, long c) {
    try {
      return (long) Native.SYSCALL.invokeExact(capture, number, a, b, c, 0L, 0L, 0L);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }
}
