package dev.ringway.core.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Digest §5.2–§5.3 and the vectors of §8.9. */
class AddressTranslationTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final int S1 = Ipv4Address.parse("10.4.23.33").value();
  private static final int S2 = Ipv4Address.parse("10.4.20.208").value();
  private static final int D1 = Ipv4Address.parse("74.125.200.113").value();
  private static final int D2 = Ipv4Address.parse("74.125.24.139").value();

  private static final String S1_D1 = "4500005400010000400146950a0417214a7dc871";
  private static final String S1_D2 = "45000054000100004001f67b0a0417214a7d188b";
  private static final String S2_D1 = "4500005400010000400148e60a0414d04a7dc871";
  private static final String S2_D2 = "45000054000100004001f8cc0a0414d04a7d188b";

  @Test
  void rfc1624ExampleFromTheDigest() {
    assertThat(Checksum.updateAddress(0x46bd, S1, S2)).isEqualTo(0x490e);
  }

  @ParameterizedTest
  @CsvSource({
    S1_D1 + ", S2, " + S2_D1,
    S1_D2 + ", S2, " + S2_D2,
    S2_D1 + ", S1, " + S1_D1,
    S2_D2 + ", S1, " + S1_D2
  })
  void sourceRewriteProducesTheOtherVector(String from, String to, String expected) {
    byte[] packet = HEX.parseHex(from);
    AddressTranslation.rewriteSource(ByteBuffer.wrap(packet), 0, packet.length, address(to));
    assertThat(HEX.formatHex(packet)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    S1_D1 + ", D2, " + S1_D2,
    S2_D1 + ", D2, " + S2_D2,
    S1_D2 + ", D1, " + S1_D1,
    S2_D2 + ", D1, " + S2_D1
  })
  void destinationRewriteProducesTheOtherVector(String from, String to, String expected) {
    byte[] packet = HEX.parseHex(from);
    AddressTranslation.rewriteDestination(ByteBuffer.wrap(packet), 0, packet.length, address(to));
    assertThat(HEX.formatHex(packet)).isEqualTo(expected);
  }

  private static int address(String name) {
    return switch (name) {
      case "S1" -> S1;
      case "S2" -> S2;
      case "D1" -> D1;
      case "D2" -> D2;
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** Builds an IPv4 packet with correct checksums computed from scratch. */
  static byte[] packet(
      int protocol, int source, int destination, byte[] segment, int fragmentWord) {
    byte[] p = new byte[20 + segment.length];
    ByteBuffer b = ByteBuffer.wrap(p);
    b.put((byte) 0x45).put((byte) 0).putShort((short) p.length).putShort((short) 0x1234);
    b.putShort((short) fragmentWord).put((byte) 64).put((byte) protocol).putShort((short) 0);
    b.putInt(source).putInt(destination).put(segment);
    int checksumOffset =
        protocol == InsidePacket.PROTOCOL_TCP ? 16 : protocol == InsidePacket.PROTOCOL_UDP ? 6 : -1;
    if (checksumOffset >= 0 && (fragmentWord & 0x1fff) == 0) {
      int c = InternetChecksum.transport(p, checksumOffset);
      if (protocol == InsidePacket.PROTOCOL_UDP && c == 0) {
        c = 0xffff;
      }
      b.putShort(20 + checksumOffset, (short) c);
    }
    b.putShort(10, (short) InternetChecksum.ipv4Header(p));
    return p;
  }

  private static byte[] tcpSegment(SplittableRandom random, int payload) {
    byte[] s = new byte[20 + payload];
    random.nextBytes(s);
    s[12] = 0x50; // data offset 5 words
    return s;
  }

  private static byte[] udpSegment(SplittableRandom random, int payload) {
    byte[] s = new byte[8 + payload];
    random.nextBytes(s);
    s[4] = (byte) (s.length >>> 8);
    s[5] = (byte) s.length;
    return s;
  }

  @Test
  void tcpAndUdpChecksumsMatchAFullRecomputationAfterEveryRewrite() {
    SplittableRandom random = new SplittableRandom(1624);
    for (int i = 0; i < 2000; i++) {
      boolean tcp = random.nextBoolean();
      int payload = random.nextInt(0, 200);
      byte[] segment = tcp ? tcpSegment(random, payload) : udpSegment(random, payload);
      int protocol = tcp ? InsidePacket.PROTOCOL_TCP : InsidePacket.PROTOCOL_UDP;
      byte[] p = packet(protocol, random.nextInt(), random.nextInt(), segment, 0);
      if (!tcp && InternetChecksum.u16(p, 26) == 0) {
        continue;
      }
      int newAddress = random.nextInt();
      if (random.nextBoolean()) {
        AddressTranslation.rewriteSource(ByteBuffer.wrap(p), 0, p.length, newAddress);
        assertThat(InsidePacket.source(ByteBuffer.wrap(p), 0)).isEqualTo(newAddress);
      } else {
        AddressTranslation.rewriteDestination(ByteBuffer.wrap(p), 0, p.length, newAddress);
        assertThat(InsidePacket.destination(ByteBuffer.wrap(p), 0)).isEqualTo(newAddress);
      }
      int checksumOffset = 20 + (tcp ? 16 : 6);
      assertThat(
              InternetChecksum.equivalent(
                  InternetChecksum.u16(p, 10), InternetChecksum.ipv4Header(p)))
          .as("IPv4 header checksum of %s", HEX.formatHex(p))
          .isTrue();
      assertThat(
              InternetChecksum.equivalent(
                  InternetChecksum.u16(p, checksumOffset),
                  InternetChecksum.transport(p, tcp ? 16 : 6)))
          .as("%s checksum of %s", tcp ? "TCP" : "UDP", HEX.formatHex(p))
          .isTrue();
    }
  }

  @Test
  void ownTcpVectorRewritesBothWays() {
    byte[] segment = HEX.parseHex("9fba5b880000000000000000500220007fff0000");
    byte[] before = packet(InsidePacket.PROTOCOL_TCP, S1, D1, segment, 0);
    byte[] expected = packet(InsidePacket.PROTOCOL_TCP, S2, D1, segment, 0);
    byte[] p = before.clone();
    AddressTranslation.rewriteSource(ByteBuffer.wrap(p), 0, p.length, S2);
    assertThat(HEX.formatHex(p)).isEqualTo(HEX.formatHex(expected));
    AddressTranslation.rewriteSource(ByteBuffer.wrap(p), 0, p.length, S1);
    assertThat(HEX.formatHex(p)).isEqualTo(HEX.formatHex(before));
  }

  @Test
  void ownUdpVectorRewritesBothWays() {
    byte[] segment = HEX.parseHex("9fba5bf700080000");
    byte[] before = packet(InsidePacket.PROTOCOL_UDP, S1, D2, segment, 0);
    byte[] expected = packet(InsidePacket.PROTOCOL_UDP, S1, D1, segment, 0);
    byte[] p = before.clone();
    AddressTranslation.rewriteDestination(ByteBuffer.wrap(p), 0, p.length, D1);
    assertThat(HEX.formatHex(p)).isEqualTo(HEX.formatHex(expected));
  }

  @Test
  void zeroUdpChecksumStaysZero() {
    byte[] p = packet(InsidePacket.PROTOCOL_UDP, S1, D1, HEX.parseHex("9fba5bf7000a0000abcd"), 0);
    p[26] = 0;
    p[27] = 0;
    AddressTranslation.rewriteSource(ByteBuffer.wrap(p), 0, p.length, S2);
    assertThat(InternetChecksum.u16(p, 26)).isZero();
    assertThat(InternetChecksum.u16(p, 10)).isEqualTo(InternetChecksum.ipv4Header(p));
  }

  @Test
  void icmpPayloadIsUntouched() {
    byte[] icmp = HEX.parseHex("0800f7ff00000000");
    byte[] p = packet(InsidePacket.PROTOCOL_ICMP, S1, D1, icmp, 0);
    AddressTranslation.rewriteSource(ByteBuffer.wrap(p), 0, p.length, S2);
    assertThat(java.util.Arrays.copyOfRange(p, 20, 28)).isEqualTo(icmp);
  }

  @ParameterizedTest
  @ValueSource(ints = {InsidePacket.PROTOCOL_TCP, InsidePacket.PROTOCOL_UDP})
  void laterFragmentsOnlyGetTheIpHeaderFixed(int protocol) {
    byte[] data = HEX.parseHex("00112233445566778899aabbccddeeff0011223344556677");
    byte[] p = packet(protocol, S1, D1, data, 0x00b9); // fragment offset 185 × 8
    AddressTranslation.rewriteSource(ByteBuffer.wrap(p), 0, p.length, S2);
    assertThat(java.util.Arrays.copyOfRange(p, 20, p.length)).isEqualTo(data);
    assertThat(InternetChecksum.u16(p, 10)).isEqualTo(InternetChecksum.ipv4Header(p));
  }

  @Test
  void worksOnARegionInsideALargerBuffer() {
    byte[] packet = HEX.parseHex(S1_D1);
    ByteBuffer buffer = ByteBuffer.allocateDirect(100);
    buffer.position(37);
    buffer.put(packet);
    AddressTranslation.rewriteSource(buffer, 37, packet.length, S2);
    byte[] out = new byte[packet.length];
    buffer.get(37, out);
    assertThat(HEX.formatHex(out)).isEqualTo(S2_D1);
    assertThat(buffer.get(36)).isZero();
    assertThat(buffer.get(57)).isZero();
  }

  @Test
  void truncatedTransportHeaderIsLeftAlone() {
    // IPv4 header says TCP but only 10 bytes of it are present: only the IP header is patched.
    byte[] p = packet(InsidePacket.PROTOCOL_ICMP, S1, D1, new byte[10], 0);
    p[9] = InsidePacket.PROTOCOL_TCP;
    p[10] = 0;
    p[11] = 0;
    ByteBuffer.wrap(p).putShort(10, (short) InternetChecksum.ipv4Header(p));
    AddressTranslation.rewriteSource(ByteBuffer.wrap(p), 0, p.length, S2);
    assertThat(java.util.Arrays.copyOfRange(p, 20, 30)).isEqualTo(new byte[10]);
  }

  @Test
  void refusesPacketsThatFailTheInsideCheck() {
    byte[] ipv6 = new byte[40];
    ipv6[0] = 0x60;
    assertThatThrownBy(
            () -> AddressTranslation.rewriteSource(ByteBuffer.wrap(ipv6), 0, ipv6.length, S2))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
