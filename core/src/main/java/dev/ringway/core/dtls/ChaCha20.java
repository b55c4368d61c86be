package dev.ringway.core.dtls;

/**
 * The ChaCha20 block function (RFC 8439 §2.3), for the record-number mask of the ChaCha20 suite:
 * the JDK's ChaCha20 cipher refuses a reused key and nonce pair and allocates per init, and the
 * mask needs only one block with a counter and nonce taken from the record.
 */
final class ChaCha20 {
  private final int[] key = new int[8];
  private final int[] state = new int[16];
  private final int[] work = new int[16];

  ChaCha20(byte[] k) {
    for (int i = 0; i < 8; i++) {
      key[i] = le(k, 4 * i);
    }
  }

  /**
   * Writes the first {@code outLength} keystream bytes for the counter and nonce at {@code in}; the
   * counter is little-endian as RFC 9147 §4.2.3 says, or big-endian with {@code bigEndianCounter},
   * as wolfSSL before 5.6.4 read it on Linux.
   */
  void block(byte[] in, int inOffset, boolean bigEndianCounter, byte[] out, int outLength) {
    state[0] = 0x61707865;
    state[1] = 0x3320646e;
    state[2] = 0x79622d32;
    state[3] = 0x6b206574;
    System.arraycopy(key, 0, state, 4, 8);
    for (int i = 0; i < 4; i++) {
      state[12 + i] = le(in, inOffset + 4 * i);
    }
    if (bigEndianCounter) {
      state[12] = Integer.reverseBytes(state[12]);
    }
    System.arraycopy(state, 0, work, 0, 16);
    for (int i = 0; i < 10; i++) {
      quarter(0, 4, 8, 12);
      quarter(1, 5, 9, 13);
      quarter(2, 6, 10, 14);
      quarter(3, 7, 11, 15);
      quarter(0, 5, 10, 15);
      quarter(1, 6, 11, 12);
      quarter(2, 7, 8, 13);
      quarter(3, 4, 9, 14);
    }
    for (int i = 0; i < outLength; i++) {
      int word = work[i >>> 2] + state[i >>> 2];
      out[i] = (byte) (word >>> (8 * (i & 3)));
    }
  }

  private void quarter(int a, int b, int c, int d) {
    int[] x = work;
    x[a] += x[b];
    x[d] = Integer.rotateLeft(x[d] ^ x[a], 16);
    x[c] += x[d];
    x[b] = Integer.rotateLeft(x[b] ^ x[c], 12);
    x[a] += x[b];
    x[d] = Integer.rotateLeft(x[d] ^ x[a], 8);
    x[c] += x[d];
    x[b] = Integer.rotateLeft(x[b] ^ x[c], 7);
  }

  private static int le(byte[] b, int o) {
    return (b[o] & 0xff)
        | (b[o + 1] & 0xff) << 8
        | (b[o + 2] & 0xff) << 16
        | (b[o + 3] & 0xff) << 24;
  }
}
