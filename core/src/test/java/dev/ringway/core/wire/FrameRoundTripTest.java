package dev.ringway.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Properties that hold for every frame kind, checked on random frames from a fixed seed. */
class FrameRoundTripTest {
  private static final int SAMPLES = 200;

  @ParameterizedTest
  @EnumSource(FrameKind.class)
  void decodeOfEncodeIsTheSameFrame(FrameKind kind) throws WireException {
    RandomFrames frames = new RandomFrames(new SplittableRandom(kind.code()));
    for (int i = 0; i < SAMPLES; i++) {
      Frame frame = frames.of(kind);
      ByteBuffer wire = encode(frame);
      Frame decoded = FrameCodec.decode(wire);
      assertThat(decoded).isEqualTo(frame);
      assertThat(decoded.hashCode()).isEqualTo(frame.hashCode());
      assertThat(decoded.kind()).isEqualTo(kind);
      assertThat(wire.hasRemaining()).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(FrameKind.class)
  void everyTruncationIsInsufficientAndLeavesTheBufferUntouched(FrameKind kind) {
    RandomFrames frames = new RandomFrames(new SplittableRandom(1000 + kind.code()));
    for (int i = 0; i < 10; i++) {
      ByteBuffer wire = encode(frames.of(kind));
      byte[] original = wire.array().clone();
      for (int length = 0; length < wire.limit(); length++) {
        ByteBuffer truncated = wire.duplicate().limit(length);
        WireException e =
            catchThrowableOfType(WireException.class, () -> FrameCodec.decode(truncated));
        assertThat(e).as("%s truncated to %d bytes", kind, length).isNotNull();
        assertThat(e.error()).isEqualTo(WireError.INSUFFICIENT_DATA);
        assertThat(truncated.position()).isZero();
        assertThat(truncated.limit()).isEqualTo(length);
      }
      assertThat(wire.array()).isEqualTo(original);
    }
  }

  @ParameterizedTest
  @EnumSource(AuthRequest.Method.class)
  void everyAuthMethodRoundTripsAndTruncatesToInsufficientData(AuthRequest.Method method)
      throws WireException {
    RandomFrames frames = new RandomFrames(new SplittableRandom(3000 + method.code()));
    for (int i = 0; i < 20; i++) {
      AuthRequest request = frames.authRequest(method);
      ByteBuffer wire = encode(request);
      assertThat(FrameCodec.decode(wire.duplicate())).isEqualTo(request);
      for (int length = 0; length < wire.limit(); length++) {
        ByteBuffer truncated = wire.duplicate().limit(length);
        WireException e =
            catchThrowableOfType(WireException.class, () -> FrameCodec.decode(truncated));
        assertThat(e.error())
            .as("%s truncated to %d", method, length)
            .isEqualTo(WireError.INSUFFICIENT_DATA);
        assertThat(truncated.position()).isZero();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(FrameKind.class)
  void framesConcatenateAndDecodeInOrder(FrameKind kind) throws WireException {
    RandomFrames frames = new RandomFrames(new SplittableRandom(2000 + kind.code()));
    Frame first = frames.of(kind);
    Frame second = frames.of(FrameKind.PING);
    ByteBuffer wire =
        ByteBuffer.allocate(FrameCodec.encodedLength(first) + FrameCodec.encodedLength(second));
    FrameCodec.encode(first, wire);
    FrameCodec.encode(second, wire);
    wire.flip();
    assertThat(FrameCodec.decode(wire)).isEqualTo(first);
    assertThat(FrameCodec.decode(wire)).isEqualTo(second);
    assertThat(wire.hasRemaining()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(FrameKind.class)
  void encodeIntoATooSmallBufferWritesNothing(FrameKind kind) {
    Frame frame = new RandomFrames(new SplittableRandom(kind.code())).of(kind);
    ByteBuffer out = ByteBuffer.allocate(FrameCodec.encodedLength(frame) - 1);
    assertThat(
            catchThrowableOfType(
                java.nio.BufferOverflowException.class, () -> FrameCodec.encode(frame, out)))
        .isNotNull();
    assertThat(out.position()).isZero();
  }

  private static ByteBuffer encode(Frame frame) {
    ByteBuffer out = ByteBuffer.allocate(FrameCodec.encodedLength(frame));
    FrameCodec.encode(frame, out);
    return out.flip();
  }
}
