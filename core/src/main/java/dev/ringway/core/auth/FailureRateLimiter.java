package dev.ringway.core.auth;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows password guessing: after {@code maxFailures} failed attempts from one address within {@code
 * window}, that address is refused without checking anything for {@code cooldown}. A success clears
 * the address. Memory is bounded: beyond {@code maxAddresses} the address seen least recently is
 * forgotten. Thread-safe (workers call it concurrently).
 */
public final class FailureRateLimiter {
  private final int maxFailures;
  private final Duration window;
  private final Duration cooldown;
  private final int maxAddresses;
  private final InstantSource clock;
  private final Map<InetAddress, Failures> byAddress;

  /** Mutable per-address state, guarded by the limiter's lock. */
  private static final class Failures {
    Instant windowStart;
    int count;
    Instant blockedUntil = Instant.MIN;
  }

  public FailureRateLimiter(
      int maxFailures, Duration window, Duration cooldown, int maxAddresses, InstantSource clock) {
    if (maxFailures < 1 || maxAddresses < 1) {
      throw new IllegalArgumentException("maxFailures and maxAddresses must be positive");
    }
    this.maxFailures = maxFailures;
    this.window = window;
    this.cooldown = cooldown;
    this.maxAddresses = maxAddresses;
    this.clock = clock;
    this.byAddress =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<InetAddress, Failures> eldest) {
            return size() > FailureRateLimiter.this.maxAddresses;
          }
        };
  }

  /** Five failures within a minute block an address for a minute; 65536 addresses tracked. */
  public static FailureRateLimiter standard(InstantSource clock) {
    return new FailureRateLimiter(5, Duration.ofSeconds(60), Duration.ofSeconds(60), 65_536, clock);
  }

  /** Whether {@code address} may attempt to authenticate now. */
  public synchronized boolean allows(InetAddress address) {
    Failures failures = byAddress.get(address);
    return failures == null || !clock.instant().isBefore(failures.blockedUntil);
  }

  /** Notes a failed attempt from {@code address}. */
  public synchronized void recordFailure(InetAddress address) {
    Instant now = clock.instant();
    Failures failures = byAddress.computeIfAbsent(address, a -> new Failures());
    if (failures.windowStart == null || !now.isBefore(failures.windowStart.plus(window))) {
      failures.windowStart = now;
      failures.count = 0;
    }
    failures.count++;
    if (failures.count >= maxFailures) {
      failures.blockedUntil = now.plus(cooldown);
      failures.windowStart = null;
      failures.count = 0;
    }
  }

  /** Notes a successful attempt: the address starts afresh. */
  public synchronized void recordSuccess(InetAddress address) {
    byAddress.remove(address);
  }

  /** How many addresses are remembered (for statistics and the memory bound's test). */
  public synchronized int trackedAddresses() {
    return byAddress.size();
  }
}
