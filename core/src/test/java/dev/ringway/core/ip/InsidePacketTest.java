package dev.ringway.core.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Which inside packets are forwarded and why the others are dropped. */
class InsidePacketTest {
  private static final byte[] ICMP =
      HexFormat.of().parseHex("4500005400010000400146950a0417214a7dc871");

  private static InsidePacket.Verdict check(byte[] p) {
    return InsidePacket.check(ByteBuffer.wrap(p), 0, p.length);
  }

  @Test
  void ipv4HeaderIsValidAndReadable() {
    ByteBuffer b = ByteBuffer.wrap(ICMP);
    assertThat(check(ICMP)).isEqualTo(InsidePacket.Verdict.VALID);
    assertThat(InsidePacket.protocol(b, 0)).isEqualTo(InsidePacket.PROTOCOL_ICMP);
    assertThat(Ipv4Address.format(InsidePacket.source(b, 0))).isEqualTo("10.4.23.33");
    assertThat(Ipv4Address.format(InsidePacket.destination(b, 0))).isEqualTo("74.125.200.113");
    assertThat(InsidePacket.totalLength(b, 0)).isEqualTo(0x54);
  }

  @Test
  void emptyPacket() {
    assertThat(check(new byte[0])).isEqualTo(InsidePacket.Verdict.EMPTY);
  }

  @Test
  void ipv6AndOtherVersionsAreNotIpv4() {
    byte[] ipv6 = new byte[40];
    ipv6[0] = 0x60;
    assertThat(check(ipv6)).isEqualTo(InsidePacket.Verdict.NOT_IPV4);
    assertThat(check(new byte[] {0x00})).isEqualTo(InsidePacket.Verdict.NOT_IPV4);
  }

  @Test
  void ipv4ShorterThanItsHeaderIsTooShort() {
    assertThat(check(new byte[] {0x45})).isEqualTo(InsidePacket.Verdict.TOO_SHORT);
    assertThat(check(java.util.Arrays.copyOf(ICMP, 19))).isEqualTo(InsidePacket.Verdict.TOO_SHORT);
  }

  @Test
  void headerLengthOutsideThePacketIsBad() {
    byte[] p = ICMP.clone();
    p[0] = 0x44;
    assertThat(check(p)).isEqualTo(InsidePacket.Verdict.BAD_HEADER_LENGTH);
    p[0] = 0x46;
    assertThat(check(p)).isEqualTo(InsidePacket.Verdict.BAD_HEADER_LENGTH);
  }

  @Test
  void packetsLongerThanTheMtuAreTooLong() {
    ByteBuffer b = ByteBuffer.wrap(ICMP);
    assertThat(InsidePacket.check(b, 0, ICMP.length, 19 + 1)).isEqualTo(InsidePacket.Verdict.VALID);
    assertThat(InsidePacket.check(b, 0, ICMP.length, 19)).isEqualTo(InsidePacket.Verdict.TOO_LONG);
  }
}
