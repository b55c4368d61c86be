package dev.ringway.core.wire;

import static dev.ringway.core.wire.WireTesting.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The data-path reader: payload positions instead of copies, records for control frames. */
class FrameCursorTest {
  @Test
  void dataFrameReportsWhereItsPayloadIsWithoutCopying() throws WireException {
    ByteBuffer in = ByteBuffer.allocateDirect(32);
    in.put(bytes("aabb")).put(bytes("050003febeaa")).put(bytes("01")).flip().position(2);
    FrameCursor cursor = new FrameCursor();

    assertThat(cursor.next(in)).isEqualTo(FrameKind.DATA);
    assertThat(cursor.payloadOffset()).isEqualTo(5);
    assertThat(cursor.payloadLength()).isEqualTo(3);
    assertThat(in.get(5)).isEqualTo((byte) 0xfe);
    assertThat(in.position()).isEqualTo(8);
    assertThatThrownBy(cursor::frame).isInstanceOf(IllegalStateException.class);

    assertThat(cursor.next(in)).isEqualTo(FrameKind.NO_OP);
    assertThat(cursor.frame()).isEqualTo(NoOp.INSTANCE);
    assertThat(in.hasRemaining()).isFalse();
  }

  @Test
  void dataFragReportsIdOffsetAndMoreFragments() throws WireException {
    ByteBuffer in = ByteBuffer.wrap(bytes("11000b12342acf667261676d656e74617279"));
    FrameCursor cursor = new FrameCursor();
    assertThat(cursor.next(in)).isEqualTo(FrameKind.ENCODED_DATA_FRAG);
    assertThat(cursor.fragmentId()).isEqualTo(0x1234);
    assertThat(cursor.fragmentOffset()).isEqualTo(0x5678);
    assertThat(cursor.moreFragments()).isTrue();
    assertThat(cursor.payloadOffset()).isEqualTo(7);
    assertThat(cursor.payloadLength()).isEqualTo(11);
  }

  @Test
  void controlFramesAreDecodedIntoRecords() throws WireException {
    ByteBuffer in = ByteBuffer.wrap(bytes("02f00b0000"));
    FrameCursor cursor = new FrameCursor();
    assertThat(cursor.next(in)).isEqualTo(FrameKind.PING);
    assertThat(cursor.frame()).isEqualTo(new Ping(0xf00b));
  }

  @Test
  void aTruncatedDataFrameLeavesThePositionAndReportsInsufficientData() {
    ByteBuffer in = ByteBuffer.wrap(bytes("050004febeaa"));
    FrameCursor cursor = new FrameCursor();
    assertThatThrownBy(() -> cursor.next(in))
        .isInstanceOfSatisfying(
            WireException.class, e -> assertThat(e.error()).isEqualTo(WireError.INSUFFICIENT_DATA));
    assertThat(in.position()).isZero();
  }

  @Test
  void dataHeaderEncodersWriteWhatTheCursorReads() throws WireException {
    ByteBuffer out = ByteBuffer.allocate(64);
    FrameCodec.encodeDataHeader(out, 3);
    out.put(bytes("010203"));
    FrameCodec.encodeDataFragHeader(out, true, 2, 7, 16, false);
    out.put(bytes("0405"));
    out.flip();
    FrameCursor cursor = new FrameCursor();
    assertThat(cursor.next(out)).isEqualTo(FrameKind.DATA);
    assertThat(cursor.payloadLength()).isEqualTo(3);
    assertThat(cursor.next(out)).isEqualTo(FrameKind.ENCODED_DATA_FRAG);
    assertThat(cursor.fragmentId()).isEqualTo(7);
    assertThat(cursor.fragmentOffset()).isEqualTo(16);
    assertThat(cursor.moreFragments()).isFalse();
    assertThat(out.get(cursor.payloadOffset() + 1)).isEqualTo((byte) 5);
    assertThat(out.hasRemaining()).isFalse();
  }
}
