package dev.ringway.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits on a condition with a deadline, instead of sleeping and hoping. */
public final class Await {
  private static final long POLL_NANOS = Duration.ofMillis(10).toNanos();

  private Await() {}

  /**
   * Polls {@code condition} until it holds or {@code timeout} passes.
   *
   * @throws AssertionError naming {@code what} when the deadline passes first
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
    }
  }

  /**
   * Polls {@code value} until it returns non-null or {@code timeout} passes, and returns it.
   *
   * @throws AssertionError naming {@code what} when the deadline passes first
   */
  public static <T> T value(String what, Duration timeout, Supplier<T> value) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T result = value.get();
      if (result != null) {
        return result;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
