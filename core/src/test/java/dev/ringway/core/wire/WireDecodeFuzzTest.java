package dev.ringway.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Fuzzes header and frame decoding: whatever the bytes, only {@link WireException} may escape, a
 * failed decode leaves the buffer where it was, and every decoded frame survives re-encoding.
 *
 * <p>A plain {@code mvn verify} replays the checked-in corpus under {@code
 * WireDecodeFuzzTestInputs/}; set {@code JAZZER_FUZZ=1} to fuzz for real.
 */
class WireDecodeFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void onlyWireExceptionsEscapeDecoding(byte[] input) {
    decodeDatagram(ByteBuffer.wrap(input));
    decodeFrameStream(ByteBuffer.wrap(input));
    readWithCursor(ByteBuffer.wrap(input));
    DecodeReport.decodeUdp(input);
    DecodeReport.decodeFrame(input);
  }

  private static void decodeDatagram(ByteBuffer in) {
    try {
      OuterHeader header = OuterHeader.decode(in);
      assertThat(in.position()).isEqualTo(OuterHeader.SIZE);
      ByteBuffer again = ByteBuffer.allocate(OuterHeader.SIZE);
      header.encode(again);
      assertThat(OuterHeader.decode(again.flip())).isEqualTo(header);
    } catch (WireException e) {
      assertThat(in.position()).isZero();
      return;
    }
    decodeFrameStream(in);
  }

  private static void decodeFrameStream(ByteBuffer in) {
    while (in.hasRemaining()) {
      int before = in.position();
      Frame frame;
      try {
        frame = FrameCodec.decode(in);
      } catch (WireException e) {
        assertThat(in.position()).isEqualTo(before);
        return;
      }
      assertThat(in.position()).isGreaterThan(before);
      ByteBuffer encoded = ByteBuffer.allocate(FrameCodec.encodedLength(frame));
      FrameCodec.encode(frame, encoded);
      try {
        assertThat(FrameCodec.decode(encoded.flip())).isEqualTo(frame);
      } catch (WireException e) {
        throw new AssertionError("re-encoded " + frame + " does not decode: " + e, e);
      }
    }
  }

  private static void readWithCursor(ByteBuffer in) {
    FrameCursor cursor = new FrameCursor();
    while (in.hasRemaining()) {
      int before = in.position();
      FrameKind kind;
      try {
        kind = cursor.next(in);
      } catch (WireException e) {
        assertThat(in.position()).isEqualTo(before);
        return;
      }
      if (kind.carriesData()) {
        assertThat(cursor.payloadOffset() + cursor.payloadLength()).isEqualTo(in.position());
      } else {
        assertThat(cursor.frame().kind()).isEqualTo(kind);
      }
    }
  }
}
