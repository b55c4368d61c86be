package dev.ringway.core.offload;

import java.nio.ByteBuffer;

/**
 * Big-endian field access by absolute index, independent of the buffer's own byte order: the loop
 * hands out views of off-heap slots whose order is not ours to assume.
 */
final class NetworkOrder {
  private NetworkOrder() {}

  static int u8(ByteBuffer b, int at) {
    return b.get(at) & 0xff;
  }

  static int u16(ByteBuffer b, int at) {
    return (b.get(at) & 0xff) << 8 | (b.get(at + 1) & 0xff);
  }

  static int u32(ByteBuffer b, int at) {
    return u16(b, at) << 16 | u16(b, at + 2);
  }

  static void put16(ByteBuffer b, int at, int value) {
    b.put(at, (byte) (value >>> 8));
    b.put(at + 1, (byte) value);
  }

  static void put32(ByteBuffer b, int at, int value) {
    put16(b, at, value >>> 16);
    put16(b, at + 2, value);
  }
}
