package dev.ringway.core.wire;

import java.nio.ByteBuffer;

/**
 * Network-order reads and writes that ignore the buffer's own {@link java.nio.ByteOrder}, so a
 * caller's little-endian view can never silently flip a length field.
 */
final class BigEndian {
  private BigEndian() {}

  static int u8(ByteBuffer b, int index) {
    return b.get(index) & 0xff;
  }

  static int u16(ByteBuffer b, int index) {
    return (u8(b, index) << 8) | u8(b, index + 1);
  }

  static long u64(ByteBuffer b, int index) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | u8(b, index + i);
    }
    return v;
  }

  static void putU8(ByteBuffer out, int v) {
    out.put((byte) v);
  }

  static void putU16(ByteBuffer out, int v) {
    out.put((byte) (v >>> 8));
    out.put((byte) v);
  }

  static void putU64(ByteBuffer out, long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.put((byte) (v >>> shift));
    }
  }

  static void putZeros(ByteBuffer out, int count) {
    for (int i = 0; i < count; i++) {
      out.put((byte) 0);
    }
  }
}
