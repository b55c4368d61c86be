package dev.ringway.e2e.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The driver's own outer header against the digest's vectors (§8.1). */
class LightwayHeaderTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void writesVersionFlagsAndSessionBigEndianWithTheAggressiveByteZero() {
    ByteBuffer out = ByteBuffer.allocate(LightwayHeader.SIZE);

    new LightwayHeader(1, 2, false, 0x123456789abcdef0L).writeTo(out);

    // H1 with the aggressive byte 0: current senders never set it.
    assertThat(HEX.formatHex(out.array())).isEqualTo("4865010200000000123456789abcdef0");
  }

  @Test
  void readsTheHeaderAndLeavesThePositionAtThePayload() {
    ByteBuffer in = ByteBuffer.wrap(HEX.parseHex("4865010201000000123456789abcdef0abcd"));

    LightwayHeader header = LightwayHeader.readFrom(in);

    assertThat(header).isEqualTo(new LightwayHeader(1, 2, false, 0x123456789abcdef0L));
    assertThat(in.position()).isEqualTo(16);
  }

  @Test
  void readsTheRejectNotice() {
    LightwayHeader header =
        LightwayHeader.readFrom(ByteBuffer.wrap(HEX.parseHex("4865010100000000ffffffffffffffff")));

    assertThat(header.session()).isEqualTo(LightwayHeader.REJECTED_SESSION);
  }

  @Test
  void refusesShortDatagramsAndWrongMagicWithoutMoving() {
    for (String bad :
        new String[] {
          "000000000000000000000000000000",
          "485f010201000000123456789abcdef0",
          "5f65010201000000123456789abcdef0"
        }) {
      ByteBuffer in = ByteBuffer.wrap(HEX.parseHex(bad));

      assertThat(LightwayHeader.readFrom(in)).as(bad).isNull();
      assertThat(in.position()).as(bad).isZero();
    }
  }
}
