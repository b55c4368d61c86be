package dev.ringway.e2e.wolfssl;

import java.nio.ByteBuffer;

/**
 * Lightway's 16-byte outer UDP header (digest §1.1), written and read here rather than with the
 * server's codec, so a mistake on either side shows up as a failed exchange: magic {@code "He"},
 * wire version, aggressive-mode byte (always 0), Expresslane byte, two reserved bytes, session id.
 */
record LightwayHeader(int major, int minor, boolean expresslane, long session) {
  static final int SIZE = 16;

  /** The session id of a client that has none yet. */
  static final long EMPTY_SESSION = 0L;

  /** The session id of the server's reject notice: "I know no such session". */
  static final long REJECTED_SESSION = -1L;

  private static final byte MAGIC_0 = 'H';
  private static final byte MAGIC_1 = 'e';

  void writeTo(ByteBuffer out) {
    out.put(MAGIC_0)
        .put(MAGIC_1)
        .put((byte) major)
        .put((byte) minor)
        .put((byte) 0)
        .put((byte) (expresslane ? 1 : 0))
        .putShort((short) 0)
        .putLong(session);
  }

  /**
   * Reads the header at the buffer's position and leaves the position after it, or returns null
   * (position unchanged) when the datagram is too short or lacks the magic.
   */
  static LightwayHeader readFrom(ByteBuffer in) {
    if (in.remaining() < SIZE) {
      return null;
    }
    int at = in.position();
    if (in.get(at) != MAGIC_0 || in.get(at + 1) != MAGIC_1) {
      return null;
    }
    LightwayHeader header =
        new LightwayHeader(
            Byte.toUnsignedInt(in.get(at + 2)),
            Byte.toUnsignedInt(in.get(at + 3)),
            in.get(at + 5) != 0,
            in.getLong(at + 8));
    in.position(at + SIZE);
    return header;
  }
}
