package dev.ringway.core.expresslane;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The 16-byte keepalive payload (digest §2.2, §2.3, §3.5): the sender's cumulative Expresslane
 * packets sent and received, each a big-endian u64.
 */
public record ExpresslaneStats(long packetsSent, long packetsReceived) {
  public static final int SIZE = 16;

  /** The payload bytes, as carried by a keepalive Ping or Pong. */
  public byte[] toPayload() {
    return ByteBuffer.allocate(SIZE).putLong(packetsSent).putLong(packetsReceived).array();
  }

  /** The statistics in a keepalive payload, or empty if it carries none (any length but 16). */
  public static Optional<ExpresslaneStats> fromPayload(byte[] payload) {
    if (payload.length != SIZE) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(payload);
    return Optional.of(new ExpresslaneStats(b.getLong(), b.getLong()));
  }
}
