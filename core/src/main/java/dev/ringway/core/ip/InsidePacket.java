package dev.ringway.core.ip;

import java.nio.ByteBuffer;

/**
 * Reads and checks an inside IPv4 packet lying in {@code [offset, offset + length)} of a buffer.
 * Ringway carries IPv4 only: anything else is dropped, and the caller counts it by {@link Verdict}.
 */
public final class InsidePacket {
  public static final int MIN_HEADER = 20;
  public static final int PROTOCOL_ICMP = 1;
  public static final int PROTOCOL_TCP = 6;
  public static final int PROTOCOL_UDP = 17;

  private InsidePacket() {}

  /** Whether a packet may be translated and forwarded, and if not, why. */
  public enum Verdict {
    VALID,
    EMPTY,
    /** The version nibble is not 4 (IPv6 included). */
    NOT_IPV4,
    /** Shorter than the 20-byte IPv4 header. */
    TOO_SHORT,
    /** The IHL field is below 5 or points past the packet. */
    BAD_HEADER_LENGTH,
    /** Longer than the inside MTU. */
    TOO_LONG
  }

  public static Verdict check(ByteBuffer packet, int offset, int length) {
    if (length <= 0) {
      return Verdict.EMPTY;
    }
    if ((packet.get(offset) & 0xf0) != 0x40) {
      return Verdict.NOT_IPV4;
    }
    if (length < MIN_HEADER) {
      return Verdict.TOO_SHORT;
    }
    int headerLength = headerLength(packet, offset);
    if (headerLength < MIN_HEADER || headerLength > length) {
      return Verdict.BAD_HEADER_LENGTH;
    }
    return Verdict.VALID;
  }

  /** As {@link #check(ByteBuffer, int, int)}, also refusing packets longer than {@code mtu}. */
  public static Verdict check(ByteBuffer packet, int offset, int length, int mtu) {
    Verdict verdict = check(packet, offset, length);
    return verdict == Verdict.VALID && length > mtu ? Verdict.TOO_LONG : verdict;
  }

  public static int headerLength(ByteBuffer packet, int offset) {
    return (packet.get(offset) & 0x0f) * 4;
  }

  public static int totalLength(ByteBuffer packet, int offset) {
    return u16(packet, offset + 2);
  }

  /** The fragment offset field in 8-byte units (0 for an unfragmented or first fragment). */
  public static int fragmentOffset(ByteBuffer packet, int offset) {
    return u16(packet, offset + 6) & 0x1fff;
  }

  public static int protocol(ByteBuffer packet, int offset) {
    return packet.get(offset + 9) & 0xff;
  }

  public static int source(ByteBuffer packet, int offset) {
    return u32(packet, offset + 12);
  }

  public static int destination(ByteBuffer packet, int offset) {
    return u32(packet, offset + 16);
  }

  static int u16(ByteBuffer b, int index) {
    return ((b.get(index) & 0xff) << 8) | (b.get(index + 1) & 0xff);
  }

  static void putU16(ByteBuffer b, int index, int value) {
    b.put(index, (byte) (value >>> 8));
    b.put(index + 1, (byte) value);
  }

  static int u32(ByteBuffer b, int index) {
    return (u16(b, index) << 16) | u16(b, index + 2);
  }
}
