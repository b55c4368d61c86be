package dev.ringway.core.frag;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Fuzzes reassembly with arbitrary fragment sequences: it never throws, never holds more partial
 * packets, bytes or fragments than its limits allow, and a completed packet is at least as long as
 * the fragment that completed it says.
 */
class FragmentReassemblerFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void arbitraryFragmentSequencesNeverBreakReassembly(FuzzedDataProvider data) {
    FragmentReassembler reassembler = new FragmentReassembler(8);
    ByteBuffer bytes = ByteBuffer.allocate(0x10000);
    while (data.remainingBytes() > 4) {
      int id = data.consumeInt(0, 15);
      int offset = data.consumeInt(0, 0x1fff) * 8;
      boolean more = data.consumeBoolean();
      int length = data.consumeInt(0, 300);
      FragmentReassembler.Result result = reassembler.add(id, offset, more, bytes, 0, length);
      if (result instanceof FragmentReassembler.Result.Complete(byte[] packet)) {
        assertThat(packet.length).isGreaterThanOrEqualTo(offset + length);
      }
      assertThat(reassembler.pending()).isLessThanOrEqualTo(8);
      assertThat(reassembler.bufferedBytes())
          .isLessThanOrEqualTo(reassembler.limits().bufferedBytes());
      assertThat(reassembler.fragmentsHeld()).isLessThanOrEqualTo(reassembler.limits().fragments());
    }
  }
}
