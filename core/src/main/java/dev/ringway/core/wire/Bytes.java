package dev.ringway.core.wire;

import java.util.HexFormat;

/** Content equality and printing for the byte arrays that frame records hold. */
final class Bytes {
  private Bytes() {}

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static void requireLength(byte[] bytes, int max, String what) {
    if (bytes.length > max) {
      throw new IllegalArgumentException(what + " is " + bytes.length + " bytes, at most " + max);
    }
  }

  static void requireU16(int value, String what) {
    if (value < 0 || value > 0xffff) {
      throw new IllegalArgumentException(what + " must be 0..65535: " + value);
    }
  }
}
