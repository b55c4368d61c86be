package dev.ringway.core.auth;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows password and token guessing. Failures are counted twice, independently: against the user
 * name tried and against the source prefix it came from (/24 for IPv4, /64 for IPv6, the smallest
 * blocks one subscriber usually holds). Each count is a leaky bucket (GCRA): {@code burst} failures
 * at once, then one more per {@code interval}; while either bucket is full, attempts for that user
 * or from that prefix are refused without checking anything.
 *
 * <p>Nothing resets a count but time. In particular a success does not: otherwise an account holder
 * (or anyone who knows one password) could log in between guesses at other accounts and guess
 * without limit. Unknown user names are counted like known ones, so the limiter's answers do not
 * reveal which users exist.
 *
 * <p>Memory is bounded: each table forgets the key it saw least recently beyond {@code maxTracked}
 * keys. One bucket is a single timestamp. Thread-safe (workers call it concurrently).
 */
public final class FailureRateLimiter {
  /**
   * One bucket's shape: {@code burst} failures at once, then one per {@code interval}.
   *
   * @param burst failures allowed back to back
   * @param interval how long one failure takes to leak away
   */
  public record Policy(int burst, Duration interval) {
    public Policy {
      if (burst < 1 || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("burst and interval must be positive");
      }
    }
  }

  /** A user tries five passwords, then one every 12 s: five a minute sustained. */
  public static final Policy PER_USER = new Policy(5, Duration.ofSeconds(12));

  /**
   * A prefix (which may hide many users behind one NAT) gets 20 failures, then one every 3 s:
   * twenty a minute sustained.
   */
  public static final Policy PER_PREFIX = new Policy(20, Duration.ofSeconds(3));

  /** The source block failures are counted against: a /24 or /64 and its family. */
  record Prefix(boolean ipv6, long bits) {
    static Prefix of(InetAddress address) {
      byte[] raw = address.getAddress();
      if (address instanceof Inet4Address) {
        return new Prefix(
            false, ((raw[0] & 0xffL) << 16) | ((raw[1] & 0xffL) << 8) | raw[2] & 0xffL);
      }
      long bits = 0;
      for (int i = 0; i < 8; i++) {
        bits = (bits << 8) | (raw[i] & 0xffL);
      }
      return new Prefix(true, bits);
    }
  }

  private final Buckets<String> users;
  private final Buckets<Prefix> prefixes;
  private final InstantSource clock;

  public FailureRateLimiter(Policy perUser, Policy perPrefix, int maxTracked, InstantSource clock) {
    if (maxTracked < 1) {
      throw new IllegalArgumentException("maxTracked must be positive");
    }
    this.users = new Buckets<>(perUser, maxTracked);
    this.prefixes = new Buckets<>(perPrefix, maxTracked);
    this.clock = clock;
  }

  /** {@link #PER_USER} and {@link #PER_PREFIX}, 65536 users and 65536 prefixes tracked. */
  public static FailureRateLimiter standard(InstantSource clock) {
    return new FailureRateLimiter(PER_USER, PER_PREFIX, 65_536, clock);
  }

  /**
   * Whether an attempt for {@code user} (null for a token, which names no user before it is
   * verified) from {@code source} may be checked now.
   */
  public synchronized boolean allows(InetAddress source, String user) {
    long now = nanos(clock.instant());
    return prefixes.allows(Prefix.of(source), now) && (user == null || users.allows(user, now));
  }

  /** Notes a failed attempt for {@code user} (null for a token) from {@code source}. */
  public synchronized void recordFailure(InetAddress source, String user) {
    long now = nanos(clock.instant());
    prefixes.fail(Prefix.of(source), now);
    if (user != null) {
      users.fail(user, now);
    }
  }

  /** How many user names are remembered (for statistics and the memory bound's test). */
  public synchronized int trackedUsers() {
    return users.size();
  }

  /** How many source prefixes are remembered (for statistics and the memory bound's test). */
  public synchronized int trackedPrefixes() {
    return prefixes.size();
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  /** One leaky bucket per key, as the time at which it will be empty again. */
  private static final class Buckets<K> {
    private final long interval;

    /** The fill at which one more failure would overflow: {@code burst - 1} intervals. */
    private final long lastAllowedFill;

    private final LinkedHashMap<K, long[]> emptyAt;

    Buckets(Policy policy, int maxTracked) {
      this.interval = policy.interval().toNanos();
      this.lastAllowedFill = (policy.burst() - 1) * interval;
      this.emptyAt =
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, long[]> eldest) {
              return size() > maxTracked;
            }
          };
    }

    boolean allows(K key, long now) {
      long[] bucket = emptyAt.get(key);
      return bucket == null || bucket[0] - now <= lastAllowedFill;
    }

    void fail(K key, long now) {
      long[] bucket = emptyAt.computeIfAbsent(key, k -> new long[] {now});
      bucket[0] = Math.max(bucket[0], now) + interval;
    }

    int size() {
      return emptyAt.size();
    }
  }
}
