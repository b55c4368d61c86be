package dev.ringway.core.offload;

import static dev.ringway.core.offload.Packets.ACK;
import static dev.ringway.core.offload.Packets.CWR;
import static dev.ringway.core.offload.Packets.FIN;
import static dev.ringway.core.offload.Packets.PSH;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TSO/USO in userspace: splitting the kernel's super-packets into checksummed inside packets. */
class SegmenterTest {
  private static final int GSO_TCPV4 = VirtioNetHeader.GSO_TCPV4;
  private static final int GSO_TCPV6 = VirtioNetHeader.GSO_TCPV6;
  private static final int GSO_UDP_L4 = VirtioNetHeader.GSO_UDP_L4;
  private static final int NEEDS_CSUM = VirtioNetHeader.F_NEEDS_CSUM;

  private final Segmenter segmenter = new Segmenter();

  /** Segments a frame placed at offset 7 of a buffer that ends exactly where the frame ends. */
  static List<byte[]> segment(Segmenter segmenter, byte[] frame) {
    ByteBuffer in = ByteBuffer.allocate(7 + frame.length).put(7, frame);
    ByteBuffer[] out = new ByteBuffer[Segmenter.MAX_SEGMENTS];
    for (int i = 0; i < out.length; i++) {
      out[i] = ByteBuffer.allocate(2048);
    }
    int[] lengths = new int[out.length];
    int n = segmenter.segment(in, 7, frame.length, out, 3, lengths);
    List<byte[]> segments = new ArrayList<>();
    if (n == Segmenter.PASS_THROUGH) {
      byte[] packet = new byte[segmenter.packetLength()];
      in.get(segmenter.packetOffset(), packet);
      segments.add(packet);
    }
    for (int i = 0; i < n; i++) {
      byte[] packet = new byte[lengths[i]];
      out[i].get(3, packet);
      segments.add(packet);
    }
    return segments;
  }

  private static void assertAllValid(List<byte[]> segments) {
    for (byte[] s : segments) {
      assertThat(Packets.ipv4HeaderValid(s)).as("IPv4 header checksum").isTrue();
      assertThat(Packets.transportChecksumValid(s)).as("TCP/UDP checksum").isTrue();
      assertThat(Packets.lengthsConsistent(s)).as("IP and UDP lengths").isTrue();
    }
  }

  private static byte[] tcp4Super(int flags, byte[] payload, int gsoSize) {
    Packets.Tcp tcp = Packets.tcp(1_000_000, payload).withFlags(flags);
    byte[] packet = Packets.partial(Packets.ipv4(6, 0x1234, true, tcp.bytes()));
    return Packets.frame(NEEDS_CSUM, GSO_TCPV4, 52, gsoSize, 20, 16, packet);
  }

  @Test
  void tcpv4IsSplitPerGsoSizeWithALastShortSegment() {
    byte[] payload = Packets.pattern(3 * 1000 + 345, 1);
    List<byte[]> segments = segment(segmenter, tcp4Super(ACK, payload, 1000));
    assertThat(segments).extracting(s -> s.length).containsExactly(1052, 1052, 1052, 397);
    assertThat(segments)
        .extracting(s -> Packets.u32(s, 24))
        .containsExactly(1_000_000, 1_001_000, 1_002_000, 1_003_000);
    assertThat(Packets.concat(segments.stream().map(Packets::payload).toArray(byte[][]::new)))
        .isEqualTo(payload);
    assertAllValid(segments);
  }

  @Test
  void everySegmentKeepsTheTcpOptionsIncludingTimestamps() {
    List<byte[]> segments = segment(segmenter, tcp4Super(ACK, Packets.pattern(2500, 3), 1000));
    for (byte[] s : segments) {
      assertThat(Packets.transportHeaderLength(s)).isEqualTo(32);
      assertThat(java.util.Arrays.copyOfRange(s, 40, 52)).isEqualTo(Packets.timestamps(1000, 2000));
    }
  }

  @Test
  void ipv4IdsCountUpFromTheSuperPacketsId() {
    List<byte[]> segments = segment(segmenter, tcp4Super(ACK, Packets.pattern(2500, 3), 1000));
    assertThat(segments).extracting(s -> Packets.u16(s, 4)).containsExactly(0x1234, 0x1235, 0x1236);
  }

  @Test
  void pshAndFinStayOnTheLastSegmentOnly() {
    List<byte[]> segments =
        segment(segmenter, tcp4Super(ACK | PSH | FIN, Packets.pattern(2500, 3), 1000));
    assertThat(segments).extracting(Packets::tcpFlags).containsExactly(ACK, ACK, ACK | PSH | FIN);
  }

  @Test
  void cwrStaysOnTheFirstSegmentOnly() {
    byte[] frame = tcp4Super(ACK | CWR, Packets.pattern(2500, 3), 1000);
    frame[1] |= (byte) VirtioNetHeader.GSO_ECN;
    assertThat(segment(segmenter, frame))
        .extracting(Packets::tcpFlags)
        .containsExactly(ACK | CWR, ACK, ACK);
  }

  @Test
  void tcpv6IsSplitWithPayloadLengthAndChecksumPerSegment() {
    byte[] payload = Packets.pattern(4000, 9);
    byte[] packet = Packets.partial(Packets.ipv6(6, Packets.tcp(-100, payload).bytes()));
    byte[] frame = Packets.frame(NEEDS_CSUM, GSO_TCPV6, 72, 1400, 40, 16, packet);
    List<byte[]> segments = segment(segmenter, frame);
    assertThat(segments).extracting(s -> s.length).containsExactly(1472, 1472, 1272);
    assertThat(segments).extracting(s -> Packets.u32(s, 44)).containsExactly(-100, 1300, 2700);
    assertThat(Packets.concat(segments.stream().map(Packets::payload).toArray(byte[][]::new)))
        .isEqualTo(payload);
    assertAllValid(segments);
  }

  @Test
  void udpIsSplitIntoDatagramsWithTheirOwnLengthAndChecksum() {
    byte[] payload = Packets.pattern(3 * 1200 + 500, 5);
    byte[] packet = Packets.partial(Packets.ipv4(17, 77, false, Packets.udp(5353, 9999, payload)));
    List<byte[]> segments =
        segment(segmenter, Packets.frame(NEEDS_CSUM, GSO_UDP_L4, 28, 1200, 20, 6, packet));
    assertThat(segments).extracting(s -> s.length).containsExactly(1228, 1228, 1228, 528);
    assertThat(segments).extracting(s -> Packets.u16(s, 24)).containsExactly(1208, 1208, 1208, 508);
    assertThat(Packets.concat(segments.stream().map(Packets::payload).toArray(byte[][]::new)))
        .isEqualTo(payload);
    assertAllValid(segments);
  }

  @Test
  void udpOverIpv6IsSplitToo() {
    byte[] payload = Packets.pattern(2500, 5);
    byte[] packet = Packets.partial(Packets.ipv6(17, Packets.udp(5353, 9999, payload)));
    List<byte[]> segments =
        segment(segmenter, Packets.frame(NEEDS_CSUM, GSO_UDP_L4, 48, 1000, 40, 6, packet));
    assertThat(segments).extracting(s -> s.length).containsExactly(1048, 1048, 548);
    assertAllValid(segments);
  }

  @Test
  void aPartialChecksumWithoutGsoIsCompletedInPlace() {
    byte[] packet =
        Packets.partial(Packets.ipv4(6, 1, true, Packets.tcp(5, Packets.pattern(333, 2)).bytes()));
    assertThat(Packets.transportChecksumValid(packet)).isFalse();
    List<byte[]> out = segment(segmenter, Packets.frame(NEEDS_CSUM, 0, 0, 0, 20, 16, packet));
    assertThat(out).hasSize(1);
    assertThat(out.getFirst()).hasSize(packet.length);
    assertAllValid(out);
  }

  @Test
  void aCompletePacketWithoutGsoPassesThroughUnchanged() {
    byte[] packet = Packets.ipv4(17, 1, true, Packets.udp(1, 2, Packets.pattern(100, 0)));
    List<byte[]> out = segment(segmenter, Packets.frame(0, 0, 0, 0, 0, 0, packet));
    assertThat(out).containsExactly(packet);
  }

  @Test
  void aGsoSizeLargerThanThePayloadGivesOneSegment() {
    List<byte[]> segments = segment(segmenter, tcp4Super(ACK, Packets.pattern(700, 3), 1000));
    assertThat(segments).hasSize(1);
    assertAllValid(segments);
  }

  @Test
  void anIgnoredHdrLenLongerThanTheHeadersButWithinThePacketIsTolerated() {
    // The kernel may report the whole linear part as hdr_len on the forwarding path.
    byte[] frame = tcp4Super(ACK, Packets.pattern(2500, 3), 1000);
    frame[2] = (byte) 200;
    List<byte[]> segments = segment(segmenter, frame);
    assertThat(segments).extracting(s -> s.length).containsExactly(1052, 1052, 552);
  }

  @Test
  void segmentsCanBeWrittenOneByOneIntoBuffersTakenOnDemand() {
    byte[] frame = tcp4Super(ACK, Packets.pattern(2500, 3), 1000);
    ByteBuffer in = ByteBuffer.wrap(frame);
    assertThat(segmenter.prepare(in, 0, frame.length)).isEqualTo(3);
    assertThat(segmenter.maxSegmentLength()).isEqualTo(1052);
    ByteBuffer slot = ByteBuffer.allocate(1052);
    assertThat(segmenter.writeSegment(2, slot, 0)).isEqualTo(552);
    assertThat(segmenter.writeSegment(0, slot, 0)).isEqualTo(1052);
    assertThat(segmenter.writeSegment(1, slot, 1)).isEqualTo(Segmenter.REFUSED);
    assertThat(segmenter.refusal()).isEqualTo(OffloadRefusal.NO_ROOM);
  }

  @Test
  void ipv4OptionsAreCopiedIntoEverySegment() {
    byte[] tcp = Packets.tcp(1, Packets.pattern(2500, 4)).bytes();
    byte[] packet = Packets.partial(Packets.withIpOptions(Packets.ipv4(6, 9, true, tcp)));
    List<byte[]> segments =
        segment(segmenter, Packets.frame(NEEDS_CSUM, GSO_TCPV4, 56, 1000, 24, 16, packet));
    assertThat(segments).extracting(s -> s.length).containsExactly(1056, 1056, 556);
    for (byte[] s : segments) {
      assertThat(Packets.ipHeaderLength(s)).isEqualTo(24);
    }
    assertAllValid(segments);
  }
}
