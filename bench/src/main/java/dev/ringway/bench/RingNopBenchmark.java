package dev.ringway.bench;

import dev.ringway.uring.CqeHandler;
import dev.ringway.uring.LinuxException;
import dev.ringway.uring.Ring;
import dev.ringway.uring.RingOptions;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of the ring itself: NOPs prepared, submitted with one {@code io_uring_enter} that waits
 * for all of them, and drained. One operation is one NOP, so the batch of 1 is the price of a
 * syscall round trip and the batch of 32 shows how much batching takes off it.
 *
 * <p>Public because JMH's generated harness subclasses it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class RingNopBenchmark {
  private static final int BATCH = 32;

  private final CqeHandler completed = (userData, res, flags) -> {};
  private Ring ring;

  @Setup
  public void open() throws LinuxException {
    ring = Ring.open(RingOptions.singleIssuer(256));
  }

  @TearDown
  public void close() throws LinuxException {
    ring.close();
  }

  @Benchmark
  public int nopOnePerEnter() throws LinuxException {
    return nops(1);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int nopBatchOf32PerEnter() throws LinuxException {
    return nops(BATCH);
  }

  private int nops(int count) throws LinuxException {
    for (int i = 0; i < count; i++) {
      ring.prepNop(i);
    }
    ring.submitAndWait(count);
    return ring.drain(completed);
  }
}
