package dev.ringway.core.tls;

/**
 * The DTLS anti-replay window of RFC 6347 §4.1.2.6 over record sequence numbers (epoch in the top
 * 16 bits), which the JDK's DTLS engine does not keep itself: a duplicated datagram would otherwise
 * deliver its plaintext twice. Updated only with records the engine has authenticated.
 */
final class ReplayWindow {
  private static final int SIZE = 64;
  private long highest = -1;
  private long seen;

  /** Records {@code sequence}; false when it was seen already or is too old to tell. */
  boolean accept(long sequence) {
    if (sequence > highest) {
      long shift = sequence - highest;
      seen = shift >= SIZE ? 1 : (seen << shift) | 1;
      highest = sequence;
      return true;
    }
    long age = highest - sequence;
    if (age >= SIZE) {
      return false;
    }
    long bit = 1L << age;
    if ((seen & bit) != 0) {
      return false;
    }
    seen |= bit;
    return true;
  }
}
