package dev.ringway.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Hex helpers shared by the wire tests. */
final class WireTesting {
  static final HexFormat HEX = HexFormat.of();

  private WireTesting() {}

  static byte[] bytes(String hex) {
    return HEX.parseHex(hex.replaceAll("\\s", ""));
  }

  static ByteBuffer buffer(String hex) {
    return ByteBuffer.wrap(bytes(hex));
  }

  static String zeros(int count) {
    return "00".repeat(count);
  }

  static String encodeToHex(Frame frame) {
    ByteBuffer out = ByteBuffer.allocate(FrameCodec.encodedLength(frame));
    FrameCodec.encode(frame, out);
    assertThat(out.hasRemaining()).as("encodedLength matches what encode wrote").isFalse();
    return HEX.formatHex(out.array());
  }

  /** Decodes the whole buffer as one frame, asserting it is fully consumed. */
  static Frame decodeAll(String hex) throws WireException {
    ByteBuffer in = buffer(hex);
    Frame frame = FrameCodec.decode(in);
    assertThat(in.remaining()).as("bytes left after decoding").isZero();
    return frame;
  }

  /** Asserts decoding fails with this error and leaves the buffer's position untouched. */
  static WireException decodeFails(String hex, WireError expected) {
    ByteBuffer in = buffer(hex);
    WireException e = catchThrowableOfType(WireException.class, () -> FrameCodec.decode(in));
    assertThat(e).as("decoding %s must fail", hex).isNotNull();
    assertThat(e.error()).as("error of %s (%s)", hex, e.detail()).isEqualTo(expected);
    assertThat(in.position()).as("position after a failed decode").isZero();
    return e;
  }
}
