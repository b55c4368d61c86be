package dev.ringway.server.jmx;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Bounds JMX password guessing. Failures are counted per source (an IPv4 address, an IPv6 /64) and
 * per user name, each on its own: once either has {@code maxFailures} failures within {@code
 * window}, every login from that source or for that name is refused unchecked until the oldest of
 * those failures is older than {@code window}. A refused attempt counts as a failure of what
 * refused it, so a guesser who keeps trying stays refused. A successful login clears nothing: an
 * account holder who logs in between guesses at other accounts (or at their own) gains no attempts.
 *
 * <p>Refusing unchecked is the slowing: the guesses that are refused never reach a password check,
 * so a guesser gets at most {@code maxFailures} real guesses per window per source and per name.
 * The other side of it is that a guesser can keep an account's owner out while guessing at it; the
 * per-source limit is the lower one, so that takes several sources. Memory is bounded: beyond
 * {@code maxTracked} keys the one seen least recently is forgotten. Thread-safe.
 */
final class LoginLimiter {
  /** Why a login is refused before its password is checked. */
  record Refusal(String message) {}

  private final int maxFailuresPerSource;
  private final int maxFailuresPerUser;
  private final long windowNanos;
  private final LongSupplier nanoTime;
  private final Map<String, ArrayDeque<Long>> failures;
  private long refused;

  LoginLimiter(
      int maxFailuresPerSource,
      int maxFailuresPerUser,
      Duration window,
      int maxTracked,
      LongSupplier nanoTime) {
    this.maxFailuresPerSource = maxFailuresPerSource;
    this.maxFailuresPerUser = maxFailuresPerUser;
    this.windowNanos = window.toNanos();
    this.nanoTime = nanoTime;
    this.failures =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Long>> eldest) {
            return size() > maxTracked;
          }
        };
  }

  /** Ten failures a minute per source, twenty per user name; 16384 sources and names tracked. */
  static LoginLimiter standard() {
    return new LoginLimiter(10, 20, Duration.ofMinutes(1), 16_384, System::nanoTime);
  }

  /**
   * Null when a login from {@code source} (null when unknown) as {@code user} may be checked now,
   * else why not; a refusal is recorded as a failure of the source or name that caused it.
   */
  synchronized Refusal check(InetAddress source, String user) {
    long now = nanoTime.getAsLong();
    String sourceKey = sourceKey(source);
    String userKey = userKey(user);
    boolean sourceBlocked = full(sourceKey, maxFailuresPerSource, now);
    boolean userBlocked = full(userKey, maxFailuresPerUser, now);
    if (!sourceBlocked && !userBlocked) {
      return null;
    }
    refused++;
    if (sourceBlocked) {
      record(sourceKey, maxFailuresPerSource, now);
    }
    if (userBlocked) {
      record(userKey, maxFailuresPerUser, now);
    }
    return new Refusal(
        "too many failed logins "
            + (sourceBlocked ? "from this address" : "for this user")
            + "; wait a minute without trying");
  }

  /** A login from {@code source} as {@code user} had a wrong name or password. */
  synchronized void failed(InetAddress source, String user) {
    long now = nanoTime.getAsLong();
    record(sourceKey(source), maxFailuresPerSource, now);
    record(userKey(user), maxFailuresPerUser, now);
  }

  /** How many logins were refused unchecked since start. */
  synchronized long refused() {
    return refused;
  }

  private boolean full(String key, int max, long now) {
    ArrayDeque<Long> times = failures.get(key);
    if (times == null) {
      return false;
    }
    while (!times.isEmpty() && now - times.peekFirst() >= windowNanos) {
      times.pollFirst();
    }
    return times.size() >= max;
  }

  private void record(String key, int max, long now) {
    ArrayDeque<Long> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>(max));
    if (times.size() >= max) {
      times.pollFirst();
    }
    times.addLast(now);
  }

  private static String sourceKey(InetAddress source) {
    if (source == null) {
      return "source:unknown";
    }
    byte[] bytes = source.getAddress();
    if (source instanceof Inet6Address) {
      // One host usually holds a whole /64.
      java.util.Arrays.fill(bytes, 8, 16, (byte) 0);
    }
    try {
      return "source:" + InetAddress.getByAddress(bytes).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String userKey(String user) {
    return "user:" + (user == null ? "" : user);
  }
}
