package dev.ringway.core.wire;

import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * The opaque 8-byte session id of the UDP outer header, held as its big-endian value. Two values
 * are reserved: {@link #EMPTY} (the client has no session yet) and {@link #REJECTED} (reject
 * notice).
 */
public record SessionId(long value) {
  public static final SessionId EMPTY = new SessionId(0L);
  public static final SessionId REJECTED = new SessionId(-1L);

  /** A fresh id that is never one of the reserved values. */
  public static SessionId random(RandomGenerator random) {
    long v;
    do {
      v = random.nextLong();
    } while (isReserved(v));
    return new SessionId(v);
  }

  public static SessionId of(long value) {
    return value == 0L ? EMPTY : value == -1L ? REJECTED : new SessionId(value);
  }

  /** Parses the 16-hex-digit form produced by {@link #toString()}. */
  public static SessionId fromHex(String hex) {
    if (hex.length() != 16) {
      throw new IllegalArgumentException("a session id is 16 hex digits: " + hex);
    }
    return of(HexFormat.fromHexDigitsToLong(hex));
  }

  public static boolean isReserved(long value) {
    return value == 0L || value == -1L;
  }

  public boolean isReserved() {
    return isReserved(value);
  }

  @Override
  public String toString() {
    return HexFormat.of().toHexDigits(value);
  }
}
