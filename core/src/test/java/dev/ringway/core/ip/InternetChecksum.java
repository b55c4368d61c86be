package dev.ringway.core.ip;

import java.nio.ByteBuffer;

/**
 * A from-scratch RFC 1071 checksum, written independently of the incremental code under test, so
 * the tests can prove every patched checksum equals a full recomputation.
 */
final class InternetChecksum {
  private InternetChecksum() {}

  static int sum(byte[] data, int offset, int length, long initial) {
    long sum = initial;
    for (int i = 0; i < length; i += 2) {
      int hi = data[offset + i] & 0xff;
      int lo = i + 1 < length ? data[offset + i + 1] & 0xff : 0;
      sum += (hi << 8) | lo;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) sum;
  }

  /** The IPv4 header checksum field value for the header as it is now (field treated as zero). */
  static int ipv4Header(byte[] packet) {
    int ihl = (packet[0] & 0x0f) * 4;
    byte[] copy = packet.clone();
    copy[10] = 0;
    copy[11] = 0;
    return ~sum(copy, 0, ihl, 0) & 0xffff;
  }

  /** The TCP or UDP checksum over pseudo-header and segment (checksum field treated as zero). */
  static int transport(byte[] packet, int checksumOffset) {
    int ihl = (packet[0] & 0x0f) * 4;
    int total = ((packet[2] & 0xff) << 8) | (packet[3] & 0xff);
    int segment = total - ihl;
    byte[] copy = packet.clone();
    copy[ihl + checksumOffset] = 0;
    copy[ihl + checksumOffset + 1] = 0;
    long pseudo = sum(copy, 12, 8, 0) + (packet[9] & 0xff) + segment;
    return ~sum(copy, ihl, segment, pseudo) & 0xffff;
  }

  /** Whether a checksum field holds the same one's-complement value as {@code expected}. */
  static boolean equivalent(int field, int expected) {
    return field == expected
        || (field == 0xffff && expected == 0)
        || (field == 0 && expected == 0xffff);
  }

  static int u16(byte[] b, int index) {
    return ((b[index] & 0xff) << 8) | (b[index + 1] & 0xff);
  }

  static ByteBuffer wrap(byte[] b) {
    return ByteBuffer.wrap(b);
  }
}
