package dev.ringway.core.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Digest §5.4 with the MSS vectors of §8.9. */
class MssClampTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String SYN_1412 =
      "4500002c000100004006a950c0a800c30808080800140035000000000000000060022000a692000002040584";
  private static final String NOP_NOP_SYN_1412 =
      "45000030000100004006a94cc0a800c30808080800140035000000000000000070022000958d00000101020405840000";

  private static String replaceTail(String packet, String tail) {
    return packet.substring(0, packet.length() - tail.length()) + tail;
  }

  private static int clamp(byte[] packet, int mss) {
    return MssClamp.clamp(ByteBuffer.wrap(packet), 0, packet.length, mss);
  }

  @ParameterizedTest
  @CsvSource({
    SYN_1412 + ", 60022000a7660000020404b0",
    NOP_NOP_SYN_1412 + ", 70022000966100000101020404b00000",
  })
  void synMssIsLoweredTo1200AndTheOldValueReturned(String packet, String expectedTail) {
    byte[] p = HEX.parseHex(packet);
    assertThat(clamp(p, 1200)).isEqualTo(1412);
    assertThat(HEX.formatHex(p)).isEqualTo(replaceTail(packet, expectedTail));
    assertThat(InternetChecksum.u16(p, 36)).isEqualTo(InternetChecksum.transport(p, 16));
  }

  @org.junit.jupiter.api.Test
  void synAckIsClampedToo() {
    String synAck = replaceTail(SYN_1412, "60122000a682000002040584");
    byte[] p = HEX.parseHex(synAck);
    assertThat(clamp(p, 1200)).isEqualTo(1412);
    assertThat(HEX.formatHex(p)).isEqualTo(replaceTail(SYN_1412, "60122000a7560000020404b0"));
  }

  @ParameterizedTest
  @ValueSource(ints = {1412, 1460})
  void anMssAlreadySmallEnoughIsLeftAlone(int mss) {
    byte[] p = HEX.parseHex(SYN_1412);
    assertThat(clamp(p, mss)).isEqualTo(MssClamp.NOT_CLAMPED);
    assertThat(HEX.formatHex(p)).isEqualTo(SYN_1412);
  }

  @ParameterizedTest
  @CsvSource({
    // a zero-length option before an MSS option: the options are malformed
    "45000030000100004006a950c0a800c3080808080014003500000000000000007002200000000000fe00020405840000",
    // MSS option with a wrong length byte
    "4500002c000100004006a950c0a800c30808080800140035000000000000000060022000a692000002030584",
    // plain ACK carrying an MSS-shaped option
    "4500002c000100004006a950c0a800c30808080800140035000000000000000060102000a692000002040584",
    // UDP
    "4500001c000100004011a950c0a800c3080808080014003500080000",
    // IPv6 SYN
    "6000000000140640000000000000000000000000000000010000000000000000000000000000000200140035000000000000000060022000a692000002040584",
  })
  void otherPacketsAreUntouched(String packet) {
    byte[] p = HEX.parseHex(packet);
    assertThat(clamp(p, 1200)).isEqualTo(MssClamp.NOT_CLAMPED);
    assertThat(HEX.formatHex(p)).isEqualTo(packet);
  }
}
