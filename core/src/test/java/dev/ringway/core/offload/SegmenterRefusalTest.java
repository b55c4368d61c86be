package dev.ringway.core.offload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Malformed frames are refused with a reason: nothing is thrown, nothing outside the frame is read
 * (the frame sits in a buffer that ends where it ends, so an overrun would throw).
 */
class SegmenterRefusalTest {
  private final Segmenter segmenter = new Segmenter();

  private static byte[] goodTcp() {
    byte[] tcp = Packets.tcp(1, Packets.pattern(3000, 1)).bytes();
    byte[] packet = Packets.partial(Packets.ipv4(6, 1, true, tcp));
    return Packets.frame(1, VirtioNetHeader.GSO_TCPV4, 52, 1000, 20, 16, packet);
  }

  private static byte[] goodUdp() {
    byte[] packet = Packets.partial(Packets.ipv4(17, 1, true, Packets.udp(1, 2, new byte[3000])));
    return Packets.frame(1, VirtioNetHeader.GSO_UDP_L4, 28, 1000, 20, 6, packet);
  }

  private OffloadRefusal refusalOf(byte[] frame, Consumer<ByteBuffer> change) {
    ByteBuffer b = ByteBuffer.wrap(frame);
    change.accept(b);
    int n = segmenter.segment(b, 0, frame.length, buffers(4), 0, new int[4]);
    assertThat(n).isEqualTo(Segmenter.REFUSED);
    return segmenter.refusal();
  }

  /** Sets a little-endian virtio-net header field. */
  private static void vnet(ByteBuffer b, int at, int value) {
    b.put(at, (byte) value).put(at + 1, (byte) (value >>> 8));
  }

  private static ByteBuffer[] buffers(int n) {
    ByteBuffer[] out = new ByteBuffer[n];
    for (int i = 0; i < n; i++) {
      out[i] = ByteBuffer.allocate(2048);
    }
    return out;
  }

  @Test
  void hdrLenBeyondThePacketIsRefused() {
    assertThat(refusalOf(goodTcp(), b -> vnet(b, 2, 0xf00f)))
        .isEqualTo(OffloadRefusal.HEADER_LENGTH_BEYOND_PACKET);
  }

  @Test
  void gsoSizeZeroIsRefused() {
    assertThat(refusalOf(goodTcp(), b -> vnet(b, 4, 0))).isEqualTo(OffloadRefusal.ZERO_GSO_SIZE);
  }

  @Test
  void anIpv4TotalLengthThatDisagreesWithTheReadIsRefused() {
    assertThat(refusalOf(goodTcp(), b -> b.putShort(12, (short) 3000)))
        .isEqualTo(OffloadRefusal.INCONSISTENT_LENGTH);
  }

  @Test
  void aUdpLengthThatDisagreesWithTheReadIsRefused() {
    assertThat(refusalOf(goodUdp(), b -> b.putShort(34, (short) 100)))
        .isEqualTo(OffloadRefusal.INCONSISTENT_LENGTH);
  }

  @Test
  void aTcpDataOffsetBeyondThePacketIsRefused() {
    byte[] tcp = Packets.tcp(1, new byte[0]).bytes();
    byte[] frame =
        Packets.frame(
            1, VirtioNetHeader.GSO_TCPV4, 52, 1000, 20, 16, Packets.ipv4(6, 1, true, tcp));
    assertThat(refusalOf(frame, b -> b.put(42, (byte) 0xf0)))
        .isEqualTo(OffloadRefusal.BAD_TRANSPORT_HEADER);
  }

  @Test
  void aGsoPacketWithoutPayloadIsRefused() {
    byte[] frame =
        Packets.frame(
            1,
            VirtioNetHeader.GSO_TCPV4,
            52,
            1000,
            20,
            16,
            Packets.ipv4(6, 1, true, Packets.tcp(1, new byte[0]).bytes()));
    assertThat(refusalOf(frame, b -> {})).isEqualTo(OffloadRefusal.NO_PAYLOAD);
  }

  @Test
  void aTcpGsoTypeOnAUdpPacketIsRefused() {
    assertThat(refusalOf(goodUdp(), b -> b.put(1, (byte) VirtioNetHeader.GSO_TCPV4)))
        .isEqualTo(OffloadRefusal.GSO_TYPE_MISMATCH);
  }

  @Test
  void tcpv6OnAnIpv4PacketIsRefused() {
    assertThat(refusalOf(goodTcp(), b -> b.put(1, (byte) VirtioNetHeader.GSO_TCPV6)))
        .isEqualTo(OffloadRefusal.GSO_TYPE_MISMATCH);
  }

  @Test
  void legacyUfoIsRefused() {
    assertThat(refusalOf(goodUdp(), b -> b.put(1, (byte) VirtioNetHeader.GSO_UDP)))
        .isEqualTo(OffloadRefusal.UNSUPPORTED_GSO_TYPE);
  }

  @Test
  void ipv4FragmentsAreRefused() {
    assertThat(refusalOf(goodTcp(), b -> b.putShort(16, (short) 0x2000)))
        .isEqualTo(OffloadRefusal.FRAGMENTED);
  }

  @Test
  void ipv6ExtensionHeadersAreRefused() {
    byte[] packet = Packets.ipv6(6, Packets.tcp(1, new byte[2000]).bytes());
    byte[] frame = Packets.frame(1, VirtioNetHeader.GSO_TCPV6, 72, 1000, 40, 16, packet);
    assertThat(refusalOf(frame, b -> b.put(16, (byte) 0)))
        .isEqualTo(OffloadRefusal.IPV6_EXTENSION_HEADERS);
  }

  @Test
  void aChecksumLocationOtherThanTheTransportChecksumIsRefused() {
    assertThat(refusalOf(goodTcp(), b -> vnet(b, 8, 0x1000)))
        .isEqualTo(OffloadRefusal.CHECKSUM_LOCATION);
  }

  @Test
  void aPartialChecksumBeyondThePacketIsRefused() {
    byte[] frame =
        Packets.frame(
            1, 0, 0, 0, 20, 16, Packets.ipv4(17, 1, true, Packets.udp(1, 2, new byte[10])));
    assertThat(refusalOf(frame, b -> vnet(b, 8, 30)))
        .isEqualTo(OffloadRefusal.CHECKSUM_OUT_OF_PACKET);
  }

  @Test
  void aTinyGsoSizeThatWouldMakeTooManySegmentsIsRefused() {
    assertThat(refusalOf(goodTcp(), b -> vnet(b, 4, 1)))
        .isEqualTo(OffloadRefusal.TOO_MANY_SEGMENTS);
  }

  @Test
  void moreSegmentsThanOutputBuffersIsRefused() {
    assertThat(refusalOf(goodTcp(), b -> vnet(b, 4, 500))).isEqualTo(OffloadRefusal.NO_ROOM);
  }

  @Test
  void aFrameShorterThanTheHeaderIsRefused() {
    ByteBuffer b = ByteBuffer.allocate(8);
    assertThat(segmenter.prepare(b, 0, 8)).isEqualTo(Segmenter.REFUSED);
    assertThat(segmenter.refusal()).isEqualTo(OffloadRefusal.TRUNCATED);
  }

  @Test
  void randomCorruptionNeverThrowsNorReadsOutsideTheFrame() {
    SplittableRandom random = new SplittableRandom(17);
    byte[][] seeds = {goodTcp(), goodUdp()};
    ByteBuffer[] out = buffers(Segmenter.MAX_SEGMENTS);
    int[] lengths = new int[out.length];
    for (int round = 0; round < 20_000; round++) {
      byte[] seed = seeds[round % 2];
      int length = random.nextInt(4) == 0 ? random.nextInt(seed.length + 1) : seed.length;
      byte[] frame = java.util.Arrays.copyOf(seed, length);
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips && length > 0; f++) {
        frame[random.nextInt(Math.min(length, 80))] = (byte) random.nextInt(256);
      }
      ByteBuffer in = ByteBuffer.wrap(frame);
      int n = segmenter.segment(in, 0, length, out, 0, lengths);
      if (n == Segmenter.REFUSED) {
        assertThat(segmenter.refusal()).isNotNull();
      }
      for (int i = 0; i < n; i++) {
        assertThat(lengths[i]).isBetween(1, 2048);
      }
    }
  }
}
