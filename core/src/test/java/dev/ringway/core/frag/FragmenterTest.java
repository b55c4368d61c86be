package dev.ringway.core.frag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringway.core.wire.DataFrag;
import dev.ringway.core.wire.FrameCodec;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Digest §7.1: chunk size, offsets, MF flags and the fragment id counter. */
class FragmenterTest {
  @Test
  void chunksAreTheFragmentMpsWithMfOnAllButTheLast() {
    byte[] packet = new byte[3000];
    for (int i = 0; i < packet.length; i++) {
      packet[i] = (byte) i;
    }
    List<DataFrag> fragments =
        new Fragmenter().split(ByteBuffer.wrap(packet), 0, packet.length, 1300, false);
    assertThat(fragments).hasSize(3);
    assertThat(fragments).extracting(DataFrag::offset).containsExactly(0, 1288, 2576);
    assertThat(fragments).extracting(f -> f.payload().length).containsExactly(1288, 1288, 424);
    assertThat(fragments).extracting(DataFrag::moreFragments).containsExactly(true, true, false);
    assertThat(fragments).extracting(DataFrag::fragmentId).containsOnly(1);
    assertThat(fragments.get(1).payload()[0]).isEqualTo((byte) 1288);
    for (DataFrag f : fragments) {
      assertThat(FrameCodec.encodedLength(f)).isLessThanOrEqualTo(1300);
    }
  }

  @Test
  void idsStartAtOneAndWrapThroughZero() {
    Fragmenter fragmenter = new Fragmenter();
    ByteBuffer packet = ByteBuffer.wrap(new byte[100]);
    assertThat(fragmenter.split(packet, 0, 100, 50, false).getFirst().fragmentId()).isEqualTo(1);
    for (int i = 2; i <= 0xffff; i++) {
      fragmenter.split(packet, 0, 100, 50, false);
    }
    assertThat(fragmenter.split(packet, 0, 100, 50, false).getFirst().fragmentId()).isZero();
    assertThat(fragmenter.split(packet, 0, 100, 50, true).getFirst().fragmentId()).isEqualTo(1);
  }

  @Test
  void encodedPacketsBecomeEncodedFragments() {
    List<DataFrag> fragments =
        new Fragmenter().split(ByteBuffer.wrap(new byte[40]), 0, 40, 20, true);
    assertThat(fragments).allMatch(DataFrag::encoded);
  }

  @Test
  void onlyPacketsAboveTheDataMpsNeedFragmenting() {
    assertThat(Fragmenter.needsFragmenting(1297, 1300)).isFalse();
    assertThat(Fragmenter.needsFragmenting(1298, 1300)).isTrue();
  }

  @Test
  void packetsAbove65535BytesAreRefused() {
    ByteBuffer big = ByteBuffer.allocate(70000);
    assertThatThrownBy(() -> new Fragmenter().split(big, 0, 65536, 1300, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new Fragmenter().split(big, 0, 65535, 1300, false).getLast().offset())
        .isLessThanOrEqualTo(DataFrag.MAX_OFFSET);
  }
}
