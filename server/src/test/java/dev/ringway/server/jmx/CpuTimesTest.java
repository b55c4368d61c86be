package dev.ringway.server.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.Await;
import dev.ringway.testkit.KernelTest;
import dev.ringway.uring.LinuxException;
import dev.ringway.uring.Ring;
import dev.ringway.uring.RingOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CpuTimesTest {

  @Test
  void readsUserAndSystemTicksEvenWhenTheCommandHasSpacesAndParentheses() {
    String stat =
        "4242 (iou-sqp-4 (x) y) S 1 4242 4242 0 -1 4194624 0 0 0 0 37 5 0 0 20 0 1 0 100 0 0";

    assertThat(CpuTimes.ticksOf(stat)).isEqualTo(42);
  }

  @Test
  void theLoopThreadsCpuTimeIsMeasured() {
    CpuTimes cpu = new CpuTimes();

    assertThat(cpu.threadCpuNanos(Thread.currentThread())).isPositive();
    assertThat(cpu.threadCpuNanos(null)).isEqualTo(-1);
  }

  @Test
  @KernelTest
  void anSqpollRingsKernelThreadShowsItsCpuTimeAndNoneWithoutSqpoll() throws Exception {
    CpuTimes cpu = new CpuTimes();
    assertThat(cpu.sqpollCpuNanos()).isZero();

    // After work arrives the SQPOLL thread spins for its whole idle time before it sleeps: that
    // is the cost this figure shows.
    try (Ring ring = Ring.open(RingOptions.of(8).withSqpoll(1000))) {
      Await.until(
          "the SQPOLL thread has used CPU",
          Duration.ofSeconds(5),
          () -> {
            ring.prepNop(1);
            try {
              ring.submitAndWait(1);
            } catch (LinuxException e) {
              throw new IllegalStateException(e);
            }
            ring.drain((userData, res, flags) -> {});
            return cpu.sqpollCpuNanos() > 0;
          });
    }
  }
}
