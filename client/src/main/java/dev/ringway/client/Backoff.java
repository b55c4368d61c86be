package dev.ringway.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before the next reconnect: starting at {@code initial} and doubling after each
 * failed attempt up to {@code max}, each wait shortened by a random part of up to a quarter, so
 * that clients a server dropped together do not all come back at the same instant. A connection
 * that reaches Online {@link #reset() resets} it. Not thread-safe: the loop owns it.
 */
public final class Backoff {
  private final long initialNanos;
  private final long maxNanos;
  private final RandomGenerator random;
  private long baseNanos;

  public Backoff(Duration initial, Duration max, RandomGenerator random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initial <= max, got " + initial + " and " + max);
    }
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
    this.baseNanos = initialNanos;
  }

  /** The wait before the next attempt; the one after it will be twice as long (up to the max). */
  public Duration next() {
    long wait = baseNanos - random.nextLong(baseNanos / 4 + 1);
    baseNanos = baseNanos > maxNanos / 2 ? maxNanos : baseNanos * 2;
    return Duration.ofNanos(wait);
  }

  /** Starts again from the initial wait. */
  public void reset() {
    baseNanos = initialNanos;
  }
}
