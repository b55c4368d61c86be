package dev.ringway.core.offload;

import static dev.ringway.core.offload.Packets.ACK;
import static dev.ringway.core.offload.Packets.CWR;
import static dev.ringway.core.offload.Packets.FIN;
import static dev.ringway.core.offload.Packets.PSH;
import static dev.ringway.core.offload.Packets.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GRO in userspace: which inside packets become one TUN frame, and what that frame holds. */
class CoalescerTest {
  /** A frame to write to the TUN and how many inside packets it carries. */
  record Frame(byte[] bytes, int packets) {
    VirtioNetHeader header() {
      return new VirtioNetHeader().read(ByteBuffer.wrap(bytes), 0);
    }

    byte[] packet() {
      return Arrays.copyOfRange(bytes, 10, bytes.length);
    }
  }

  static List<Frame> coalesce(List<byte[]> packets, int superBuffers) {
    int n = packets.size();
    ByteBuffer[] buffers = new ByteBuffer[n];
    int[] offsets = new int[n];
    int[] lengths = new int[n];
    for (int i = 0; i < n; i++) {
      // Headroom of 16 (more than the header needs) and 5 bytes of slack after each packet.
      buffers[i] = ByteBuffer.allocate(16 + packets.get(i).length + 5).put(16, packets.get(i));
      offsets[i] = 16;
      lengths[i] = packets.get(i).length;
    }
    ByteBuffer[] supers = new ByteBuffer[superBuffers];
    for (int i = 0; i < superBuffers; i++) {
      supers[i] = ByteBuffer.allocateDirect(Coalescer.SUPER_BUFFER_BYTES);
    }
    Coalescer coalescer = new Coalescer(64);
    int frames = coalescer.coalesce(buffers, offsets, lengths, n, supers);
    List<Frame> out = new ArrayList<>();
    for (int k = 0; k < frames; k++) {
      byte[] bytes = new byte[coalescer.frameLength(k)];
      coalescer.frameBuffer(k).get(coalescer.frameOffset(k), bytes);
      out.add(new Frame(bytes, coalescer.framePackets(k)));
    }
    return out;
  }

  static byte[] coalesceToOneFrame(List<byte[]> packets) {
    List<Frame> frames = coalesce(packets, 4);
    assertThat(frames).hasSize(1);
    return frames.getFirst().bytes();
  }

  private static List<byte[]> flow4(int count, int size, int lastSize) {
    List<byte[]> packets = new ArrayList<>();
    int seq = 7000;
    for (int i = 0; i < count; i++) {
      int length = i == count - 1 ? lastSize : size;
      Packets.Tcp tcp = Packets.tcp(seq, Packets.pattern(length, seq));
      packets.add(Packets.ipv4(6, 100 + i, true, tcp.bytes()));
      seq += length;
    }
    return packets;
  }

  private static List<byte[]> flow6(int count, int size) {
    List<byte[]> packets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      packets.add(Packets.ipv6(6, Packets.tcp(i * size, Packets.pattern(size, i)).bytes()));
    }
    return packets;
  }

  private static byte[] payloads(List<byte[]> packets) {
    return Packets.concat(packets.stream().map(Packets::payload).toArray(byte[][]::new));
  }

  /** The frame's packet as the kernel would see it after finishing the partial checksum. */
  private static byte[] completed(Frame frame) {
    byte[] p = frame.packet();
    VirtioNetHeader h = frame.header();
    int field = h.csumStart() + h.csumOffset();
    long sum = Packets.checksum(p, h.csumStart(), p.length, 0);
    int value = ~Packets.fold(sum) & 0xffff;
    p[field] = (byte) (value >>> 8);
    p[field + 1] = (byte) value;
    return p;
  }

  @Test
  void consecutiveSegmentsOfOneFlowBecomeOneTcpv4SuperPacket() {
    List<byte[]> packets = flow4(5, 1300, 700);
    List<Frame> frames = coalesce(packets, 4);
    assertThat(frames).hasSize(1);
    Frame f = frames.getFirst();
    assertThat(f.packets()).isEqualTo(5);
    VirtioNetHeader h = f.header();
    assertThat(h.flags()).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
    assertThat(h.gsoType()).isEqualTo(VirtioNetHeader.GSO_TCPV4);
    assertThat(h.gsoSize()).isEqualTo(1300);
    assertThat(h.hdrLen()).isEqualTo(52);
    assertThat(h.csumStart()).isEqualTo(20);
    assertThat(h.csumOffset()).isEqualTo(16);
    byte[] p = f.packet();
    assertThat(Packets.u16(p, 2)).isEqualTo(p.length);
    assertThat(Packets.ipv4HeaderValid(p)).isTrue();
    assertThat(Packets.u32(p, 24)).isEqualTo(7000);
    assertThat(Packets.payload(p)).isEqualTo(payloads(packets));
    assertThat(Packets.transportChecksumValid(completed(f))).isTrue();
  }

  @Test
  void theChecksumFieldHoldsTheUncomplementedPseudoHeaderSum() {
    Frame f = coalesce(flow4(3, 1000, 1000), 1).getFirst();
    byte[] p = f.packet();
    int expected = Packets.fold(Packets.checksum(p, 12, 20, 0) + 6 + (p.length - 20));
    assertThat(Packets.u16(p, 36)).isEqualTo(expected);
  }

  @Test
  void ipv6SegmentsBecomeATcpv6SuperPacket() {
    List<byte[]> packets = flow6(4, 1200);
    Frame f = coalesce(packets, 1).getFirst();
    assertThat(f.packets()).isEqualTo(4);
    assertThat(f.header().gsoType()).isEqualTo(VirtioNetHeader.GSO_TCPV6);
    assertThat(f.header().csumStart()).isEqualTo(40);
    byte[] p = f.packet();
    assertThat(Packets.u16(p, 4)).isEqualTo(p.length - 40);
    assertThat(Packets.payload(p)).isEqualTo(payloads(packets));
    assertThat(Packets.transportChecksumValid(completed(f))).isTrue();
  }

  @Test
  void pshOnTheLastSegmentIsKeptAndEndsTheSuperPacket() {
    List<byte[]> packets = new ArrayList<>(flow4(3, 1000, 1000));
    byte[] pushed =
        Packets.ipv4(
            6,
            103,
            true,
            Packets.tcp(10000, Packets.pattern(1000, 1)).withFlags(ACK | PSH).bytes());
    packets.add(pushed);
    packets.add(Packets.ipv4(6, 104, true, Packets.tcp(11000, Packets.pattern(1000, 2)).bytes()));
    List<Frame> frames = coalesce(packets, 4);
    assertThat(frames).extracting(Frame::packets).containsExactly(4, 1);
    assertThat(Packets.tcpFlags(frames.getFirst().packet())).isEqualTo(ACK | PSH);
  }

  @Test
  void aShortSegmentEndsTheSuperPacket() {
    List<byte[]> packets = new ArrayList<>(flow4(3, 1000, 400));
    packets.add(Packets.ipv4(6, 103, true, Packets.tcp(9400, Packets.pattern(1000, 1)).bytes()));
    assertThat(coalesce(packets, 4)).extracting(Frame::packets).containsExactly(3, 1);
  }

  @Test
  void aLongerSegmentDoesNotJoin() {
    List<byte[]> packets = new ArrayList<>(flow4(2, 1000, 1000));
    packets.add(Packets.ipv4(6, 102, true, Packets.tcp(9000, Packets.pattern(1200, 1)).bytes()));
    assertThat(coalesce(packets, 4)).extracting(Frame::packets).containsExactly(2, 1);
  }

  @Test
  void differentTimestampsDoNotMerge() {
    List<byte[]> packets = new ArrayList<>();
    packets.add(Packets.ipv4(6, 1, true, Packets.tcp(0, new byte[1000]).bytes()));
    packets.add(
        Packets.ipv4(
            6,
            2,
            true,
            Packets.tcp(1000, new byte[1000]).withOptions(Packets.timestamps(1001, 2000)).bytes()));
    assertThat(coalesce(packets, 4)).extracting(Frame::packets).containsExactly(1, 1);
  }

  @Test
  void differentAckNumbersDoNotMerge() {
    List<byte[]> packets = new ArrayList<>();
    Packets.Tcp a = Packets.tcp(0, new byte[1000]);
    Packets.Tcp b =
        new Packets.Tcp(
            a.sport(), a.dport(), 1000, a.ack() + 1, ACK, a.window(), a.options(), new byte[1000]);
    packets.add(Packets.ipv4(6, 1, true, a.bytes()));
    packets.add(Packets.ipv4(6, 2, true, b.bytes()));
    assertThat(coalesce(packets, 4)).extracting(Frame::packets).containsExactly(1, 1);
  }

  @Test
  void synFinAndPayloadFreeSegmentsPassThroughAlone() {
    List<byte[]> packets = new ArrayList<>();
    packets.add(Packets.ipv4(6, 1, true, Packets.tcp(0, new byte[0]).withFlags(SYN).bytes()));
    packets.add(Packets.ipv4(6, 2, true, Packets.tcp(1, new byte[100]).bytes()));
    packets.add(
        Packets.ipv4(6, 3, true, Packets.tcp(101, new byte[100]).withFlags(ACK | FIN).bytes()));
    packets.add(Packets.ipv4(6, 4, true, Packets.tcp(202, new byte[0]).bytes()));
    List<Frame> frames = coalesce(packets, 4);
    assertThat(frames).extracting(Frame::packets).containsExactly(1, 1, 1, 1);
    for (int i = 0; i < 4; i++) {
      assertThat(frames.get(i).bytes()).startsWith(new byte[10]);
      assertThat(frames.get(i).packet()).isEqualTo(packets.get(i));
    }
  }

  @Test
  void cwrMayStartASuperPacketButNotJoinOne() {
    List<byte[]> packets = new ArrayList<>();
    packets.add(
        Packets.ipv4(6, 1, true, Packets.tcp(0, new byte[1000]).withFlags(ACK | CWR).bytes()));
    packets.add(Packets.ipv4(6, 2, true, Packets.tcp(1000, new byte[1000]).bytes()));
    packets.add(
        Packets.ipv4(6, 3, true, Packets.tcp(2000, new byte[1000]).withFlags(ACK | CWR).bytes()));
    List<Frame> frames = coalesce(packets, 4);
    assertThat(frames).extracting(Frame::packets).containsExactly(2, 1);
    assertThat(frames.getFirst().header().gsoType())
        .isEqualTo(VirtioNetHeader.GSO_TCPV4 | VirtioNetHeader.GSO_ECN);
  }

  @Test
  void aSegmentWithABadChecksumIsNeverMergedAndGoesOutAsItCame() {
    List<byte[]> packets = flow4(3, 1000, 1000);
    packets.get(1)[100] ^= 1;
    List<Frame> frames = coalesce(packets, 4);
    assertThat(frames).extracting(Frame::packets).containsExactly(1, 1, 1);
    assertThat(frames.get(1).packet()).isEqualTo(packets.get(1));
  }

  @Test
  void interleavedFlowsMergeApartAndKeepEachFlowsOrder() {
    List<byte[]> a = flow4(3, 1000, 1000);
    List<byte[]> b = flow6(3, 800);
    List<byte[]> packets = List.of(a.get(0), b.get(0), a.get(1), b.get(1), a.get(2), b.get(2));
    List<Frame> frames = coalesce(packets, 4);
    assertThat(frames).extracting(Frame::packets).containsExactly(3, 3);
    assertThat(Packets.payload(frames.get(0).packet())).isEqualTo(payloads(a));
    assertThat(Packets.payload(frames.get(1).packet())).isEqualTo(payloads(b));
  }

  @Test
  void outOfOrderSegmentsAreNotMergedAndKeepTheirOrder() {
    List<byte[]> in = flow4(4, 1000, 1000);
    List<byte[]> packets = List.of(in.get(0), in.get(2), in.get(1), in.get(3));
    List<Frame> frames = coalesce(packets, 4);
    List<byte[]> written = new ArrayList<>();
    for (Frame f : frames) {
      written.add(Packets.payload(f.packet()));
    }
    assertThat(Packets.concat(written.toArray(byte[][]::new)))
        .isEqualTo(
            Packets.concat(
                Packets.payload(in.get(0)),
                Packets.payload(in.get(2)),
                Packets.payload(in.get(1)),
                Packets.payload(in.get(3))));
    // Joining 3 to 2's frame would write 3 before 1: each goes out alone instead.
    assertThat(frames).extracting(Frame::packets).containsExactly(1, 1, 1, 1);
  }

  @Test
  void aSegmentOfAnotherFlowOrAUdpPacketBetweenTwoSegmentsDoesNotSplitTheSuperPacket() {
    List<byte[]> a = flow4(2, 1000, 1000);
    byte[] udp = Packets.ipv4(17, 9, true, Packets.udp(53, 53, new byte[40]));
    List<Frame> frames = coalesce(List.of(a.get(0), udp, a.get(1)), 4);
    assertThat(frames).extracting(Frame::packets).containsExactly(2, 1);
    assertThat(frames.get(1).packet()).isEqualTo(udp);
  }

  @Test
  void aSuperPacketStopsBelow64KiB() {
    List<byte[]> packets = flow4(60, 1400, 1400);
    List<Frame> frames = coalesce(packets, 4);
    assertThat(frames).extracting(Frame::packets).containsExactly(46, 14);
    for (Frame f : frames) {
      assertThat(f.packet().length).isLessThanOrEqualTo(65535);
    }
    assertThat(
            Packets.concat(
                Packets.payload(frames.get(0).packet()), Packets.payload(frames.get(1).packet())))
        .isEqualTo(payloads(packets));
  }

  @Test
  void withoutSuperBuffersLeftPacketsGoOutUnmerged() {
    List<byte[]> a = flow4(2, 1000, 1000);
    List<byte[]> b = flow6(2, 1000);
    List<Frame> frames = coalesce(List.of(a.get(0), a.get(1), b.get(0), b.get(1)), 1);
    assertThat(frames).extracting(Frame::packets).containsExactly(2, 1, 1);
  }

  @Test
  void ipv4WithoutDfMergesOnlyConsecutiveIds() {
    List<byte[]> packets = new ArrayList<>();
    packets.add(Packets.ipv4(6, 10, false, Packets.tcp(0, new byte[1000]).bytes()));
    packets.add(Packets.ipv4(6, 11, false, Packets.tcp(1000, new byte[1000]).bytes()));
    packets.add(Packets.ipv4(6, 20, false, Packets.tcp(2000, new byte[1000]).bytes()));
    assertThat(coalesce(packets, 4)).extracting(Frame::packets).containsExactly(2, 1);
  }

  @Test
  void segmentingThenCoalescingGivesBackTheOriginalPayload() {
    byte[] payload = Packets.pattern(40_000, 11);
    byte[] packet =
        Packets.partial(
            Packets.ipv4(6, 5, true, Packets.tcp(123, payload).withFlags(ACK | PSH).bytes()));
    byte[] frame = Packets.frame(1, VirtioNetHeader.GSO_TCPV4, 52, 1348, 20, 16, packet);
    List<byte[]> segments = SegmenterTest.segment(new Segmenter(), frame);
    assertThat(segments).hasSize(30);
    byte[] rebuilt = coalesceToOneFrame(segments);
    assertThat(rebuilt).isEqualTo(frame);
  }

  @Test
  void ipv4WithOptionsIsNotMerged() {
    List<byte[]> packets = new ArrayList<>();
    packets.add(
        Packets.withIpOptions(Packets.ipv4(6, 1, true, Packets.tcp(0, new byte[1000]).bytes())));
    packets.add(
        Packets.withIpOptions(Packets.ipv4(6, 2, true, Packets.tcp(1000, new byte[1000]).bytes())));
    List<Frame> frames = coalesce(packets, 4);
    assertThat(frames).extracting(Frame::packets).containsExactly(1, 1);
    assertThat(frames.get(0).packet()).isEqualTo(packets.get(0));
  }
}
