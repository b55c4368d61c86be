package dev.ringway.core.offload;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The RFC 1071 ones' complement sum. Sums are kept folded to 16 bits and uncomplemented, so the
 * pseudo-header, headers and payload can be summed apart and added.
 */
final class InternetChecksum {
  static final int PROTOCOL_TCP = 6;
  static final int PROTOCOL_UDP = 17;

  private InternetChecksum() {}

  /**
   * The folded sum of {@code [from, from + length)} read as big-endian 16-bit words (an odd last
   * byte padded with zero), added to {@code initial}.
   */
  static int sum(ByteBuffer b, int from, int length, int initial) {
    long acc = 0;
    int i = from;
    int end = from + length;
    // Eight bytes at a time; the sum of byte-swapped words is the byte-swapped sum, so a
    // little-endian view is read the same way and swapped back once.
    boolean swap = b.order() == ByteOrder.LITTLE_ENDIAN;
    for (; i + 8 <= end; i += 8) {
      long w = b.getLong(i);
      if (swap) {
        w = Long.reverseBytes(w);
      }
      acc += (w >>> 32) + (w & 0xffffffffL);
    }
    for (; i + 2 <= end; i += 2) {
      acc += NetworkOrder.u16(b, i);
    }
    if (i < end) {
      acc += (b.get(i) & 0xff) << 8;
    }
    return fold(acc + initial);
  }

  /** The folded sum of the TCP/UDP pseudo-header; addresses are source then destination. */
  static int pseudoHeader(ByteBuffer b, int addressesAt, int addressLength, int protocol, int l4) {
    return sum(b, addressesAt, 2 * addressLength, protocol + l4);
  }

  static int fold(long acc) {
    while ((acc >>> 16) != 0) {
      acc = (acc & 0xffff) + (acc >>> 16);
    }
    return (int) acc;
  }

  /** The value a checksum field holds: the complement of the folded sum. */
  static int complement(int folded) {
    return ~folded & 0xffff;
  }
}
