package dev.ringway.core.offload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Segmenting and re-coalescing super-packets the kernel really produced (saved captures). */
class KernelCaptureTest {
  private final Map<String, byte[]> captures = KernelCaptures.saved();

  @Test
  void theSavedCapturesCoverTcpAndUdpOverBothIpVersions() {
    assertThat(captures).containsKeys("tcp4", "tcp6", "udp4", "udp6", "tcp4-ack", "tcp6-ack");
  }

  @Test
  void everyCaptureSegmentsIntoCheckedPacketsCarryingTheWholeStream() {
    captures.forEach(KernelCaptures::assertSegmentsCorrectly);
  }

  @Test
  void tcpSegmentsCarryTimestampsAndContiguousSequenceNumbers() {
    List<byte[]> segments = SegmenterTest.segment(new Segmenter(), captures.get("tcp4"));
    int seq = Packets.u32(segments.getFirst(), 24);
    for (byte[] s : segments) {
      assertThat(Packets.transportHeaderLength(s)).isEqualTo(32);
      assertThat(s[20 + 22]).as("timestamp option kind").isEqualTo((byte) 8);
      assertThat(Packets.u32(s, 24)).isEqualTo(seq);
      seq += Packets.payload(s).length;
    }
  }

  @Test
  void coalescingTheSegmentsOfAKernelTsoBurstRebuildsTheKernelsFrameByteForByte() {
    for (String label : List.of("tcp4", "tcp6")) {
      byte[] original = captures.get(label);
      List<byte[]> segments = SegmenterTest.segment(new Segmenter(), original);
      byte[] frame = CoalescerTest.coalesceToOneFrame(segments);
      assertThat(frame).as(label).isEqualTo(original);
    }
  }

  @Test
  void theUdpCaptureHasAShortLastDatagram() {
    List<byte[]> segments = SegmenterTest.segment(new Segmenter(), captures.get("udp4"));
    assertThat(segments)
        .extracting(s -> Packets.payload(s).length)
        .containsExactly(1200, 1200, 1200, 500);
  }

  @Test
  void theHeaderOfACaptureReadsAsTheKernelWroteIt() {
    VirtioNetHeader h = new VirtioNetHeader().read(ByteBuffer.wrap(captures.get("tcp4")), 0);
    assertThat(h.flags()).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
    assertThat(h.gsoType()).isEqualTo(VirtioNetHeader.GSO_TCPV4);
    assertThat(h.hdrLen()).isEqualTo(52);
    assertThat(h.gsoSize()).isEqualTo(1388);
    assertThat(h.csumStart()).isEqualTo(20);
    assertThat(h.csumOffset()).isEqualTo(16);
  }
}
