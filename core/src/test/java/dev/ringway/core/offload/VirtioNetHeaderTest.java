package dev.ringway.core.offload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The 10-byte virtio_net_hdr as a TUN on a little-endian host reads and writes it. */
class VirtioNetHeaderTest {
  @Test
  void fieldsAreLittleEndianInTheKernelsOrder() {
    ByteBuffer b = ByteBuffer.allocate(13);
    new VirtioNetHeader().set(1, 4, 0x0102, 0x0304, 0x0506, 0x0708).write(b, 3);
    assertThat(HexFormat.of().formatHex(b.array())).isEqualTo("00000001040201040306050807");
  }

  @Test
  void readingGivesBackWhatWasWrittenWhateverTheBuffersOrder() {
    for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
      ByteBuffer b = ByteBuffer.allocateDirect(20).order(order);
      new VirtioNetHeader().set(2, 0x85, 54, 1388, 20, 16).write(b, 5);
      VirtioNetHeader h = new VirtioNetHeader().read(b, 5);
      assertThat(h.flags()).isEqualTo(VirtioNetHeader.F_DATA_VALID);
      assertThat(h.needsChecksum()).isFalse();
      assertThat(h.gsoType()).isEqualTo(VirtioNetHeader.GSO_UDP_L4 | VirtioNetHeader.GSO_ECN);
      assertThat(h.hdrLen()).isEqualTo(54);
      assertThat(h.gsoSize()).isEqualTo(1388);
      assertThat(h.csumStart()).isEqualTo(20);
      assertThat(h.csumOffset()).isEqualTo(16);
    }
  }

  @Test
  void aPlainPacketsHeaderIsTenZeroBytes() {
    ByteBuffer b = ByteBuffer.allocate(12);
    for (int i = 0; i < 12; i++) {
      b.put(i, (byte) 0xff);
    }
    VirtioNetHeader.writeNone(b, 1);
    assertThat(HexFormat.of().formatHex(b.array())).isEqualTo("ff00000000000000000000ff");
  }
}
