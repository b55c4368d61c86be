package dev.ringway.core.frag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.core.frag.FragmentReassembler.Result;
import dev.ringway.core.wire.DataFrag;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Digest §7.2: the range rules, their errors, completion and the LRU eviction. */
class FragmentReassemblerTest {
  private final FragmentReassembler reassembler = new FragmentReassembler();

  private Result add(int id, int offset, boolean more, String text) {
    return reassembler.add(
        new DataFrag(false, id, offset, more, text.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String completed(Result result) {
    assertThat(result).isInstanceOf(Result.Complete.class);
    return new String(((Result.Complete) result).packet(), StandardCharsets.US_ASCII);
  }

  private static void refused(Result result, FragmentError error) {
    assertThat(result).isEqualTo(new Result.Refused(error));
  }

  private static final Result INCOMPLETE = new Result.Incomplete();

  @Test
  void inOrderFragmentsComplete() {
    assertThat(add(1, 0, true, "aaaaaaaa")).isEqualTo(INCOMPLETE);
    assertThat(add(1, 8, true, "bbbbbbbb")).isEqualTo(INCOMPLETE);
    assertThat(completed(add(1, 16, false, "cc"))).isEqualTo("aaaaaaaabbbbbbbbcc");
    assertThat(reassembler.pending()).isZero();
  }

  @Test
  void reversedFragmentsComplete() {
    assertThat(add(2, 16, false, "cc")).isEqualTo(INCOMPLETE);
    assertThat(add(2, 8, true, "bbbbbbbb")).isEqualTo(INCOMPLETE);
    assertThat(completed(add(2, 0, true, "aaaaaaaa"))).isEqualTo("aaaaaaaabbbbbbbbcc");
  }

  @Test
  void aFragmentFillingTheGapMergesBothNeighbours() {
    add(3, 0, true, "aaaaaaaa");
    add(3, 16, false, "cccc");
    assertThat(completed(add(3, 8, true, "bbbbbbbb"))).isEqualTo("aaaaaaaabbbbbbbbcccc");
  }

  @Test
  void aSingleUnfragmentedPieceIsComplete() {
    assertThat(completed(add(4, 0, false, "whole"))).isEqualTo("whole");
  }

  @Test
  void emptyFragmentIsRefused() {
    refused(add(5, 0, true, ""), FragmentError.EMPTY);
  }

  @Test
  void overlappingFragmentIsRefusedAndThePartialPacketDropped() {
    add(6, 0, true, "aaaaaaaa");
    refused(add(6, 0, true, "xxxxxxxx"), FragmentError.OVERLAPPING);
    assertThat(reassembler.pending()).isZero();
    // The id starts afresh: the old bytes are gone.
    assertThat(add(6, 8, false, "b")).isEqualTo(INCOMPLETE);
  }

  @Test
  void overlapWithALaterRangeIsRefusedEvenWhenTheFragmentTouchesAnEarlierOne() {
    add(7, 0, true, "aaaaaaaa");
    add(7, 16, true, "cccccccc");
    refused(add(7, 8, true, "bbbbbbbbbbbb"), FragmentError.OVERLAPPING);
  }

  @Test
  void lastFragmentEndingWhereReceivedBytesStartIsRefused() {
    add(8, 8, true, "bbbbbbbb");
    refused(add(8, 0, false, "aaaaaaaa"), FragmentError.LAST_FRAGMENT_BEFORE_CURRENT_TAIL);
  }

  @Test
  void bytesAfterTheLastFragmentAreRefused() {
    add(9, 0, false, "aaaaaaaa");
    // The 0..8 range is already complete, so use a range that does not start at 0.
    add(10, 8, false, "bbbbbbbb");
    refused(add(10, 16, true, "cccccccc"), FragmentError.AFTER_LAST);
  }

  @Test
  void aLastFragmentClosingTheGapBeforeAnotherRangeIsAfterLast() {
    add(11, 0, true, "aaaaaaaa");
    add(11, 16, false, "cc");
    refused(add(11, 8, false, "bbbbbbbb"), FragmentError.AFTER_LAST);
  }

  @Test
  void idsAreIndependent() {
    add(12, 0, true, "aaaaaaaa");
    add(13, 0, true, "xxxxxxxx");
    assertThat(completed(add(12, 8, false, "b"))).isEqualTo("aaaaaaaab");
    assertThat(completed(add(13, 8, false, "y"))).isEqualTo("xxxxxxxxy");
  }

  @Test
  void leastRecentlyUsedPartialPacketIsEvictedAtCapacity() {
    FragmentReassembler small = new FragmentReassembler(2);
    small.add(new DataFrag(false, 1, 0, true, new byte[8]));
    small.add(new DataFrag(false, 2, 0, true, new byte[8]));
    small.add(new DataFrag(false, 1, 16, true, new byte[8])); // touches id 1: id 2 is now eldest
    small.add(new DataFrag(false, 3, 0, true, new byte[8]));
    assertThat(small.pending()).isEqualTo(2);
    // id 1 survived: filling its gap and its tail completes it.
    assertThat(small.add(new DataFrag(false, 1, 8, true, new byte[8])))
        .isEqualTo(new Result.Incomplete());
    assertThat(small.add(new DataFrag(false, 1, 24, false, new byte[2])))
        .isInstanceOf(Result.Complete.class);
    // id 2 was evicted with its first piece: its tail alone does not complete.
    assertThat(small.add(new DataFrag(false, 2, 8, false, new byte[1])))
        .isEqualTo(new Result.Incomplete());
  }

  @Test
  void rangesRunFromTheOffsetForTheFragmentLength() {
    // Digest §8.6: offset 0 + 3 bytes is [0,3); offset 0xfff1 + 32 bytes is [65521,65553).
    assertThat(completed(add(30, 0, false, "abc"))).isEqualTo("abc");
    ByteBuffer tail = ByteBuffer.allocate(32);
    ByteBuffer head = ByteBuffer.allocate(0xfff1);
    assertThat(reassembler.add(31, 0xfff1, false, tail, 0, 32)).isEqualTo(INCOMPLETE);
    Result result = reassembler.add(31, 0, true, head, 0, 0xfff1);
    assertThat(((Result.Complete) result).packet()).hasSize(65553);
  }

  @Test
  void defaultLimitHoldsSixtyFourPartialPackets() {
    for (int id = 0; id < 5000; id++) {
      reassembler.add(new DataFrag(false, id, 0, true, new byte[8]));
    }
    assertThat(reassembler.pending()).isEqualTo(64);
    assertThat(reassembler.evictions()).isEqualTo(5000 - 64);
  }

  @Test
  void aDuplicateFragmentIsRefusedAsOverlapping() {
    add(14, 0, true, "aaaaaaaa");
    add(14, 16, false, "cc");
    refused(add(14, 16, false, "cc"), FragmentError.OVERLAPPING);
    assertThat(reassembler.pending()).isZero();
  }

  @Test
  void bytesAreReadFromTheGivenRegionOfABuffer() {
    ByteBuffer buffer = ByteBuffer.wrap("xxhelloyy".getBytes(StandardCharsets.US_ASCII));
    Result result = reassembler.add(20, 0, false, buffer, 2, 5);
    assertThat(completed(result)).isEqualTo("hello");
  }

  @Test
  void fragmentsOfARandomPacketInAnyOrderReassembleExactly() {
    SplittableRandom random = new SplittableRandom(72);
    Fragmenter fragmenter = new Fragmenter();
    for (int round = 0; round < 200; round++) {
      byte[] packet = new byte[random.nextInt(1, 9000)];
      random.nextBytes(packet);
      int plpmtu = random.nextInt(15, 1500);
      List<DataFrag> fragments =
          new ArrayList<>(
              fragmenter.split(ByteBuffer.wrap(packet), 0, packet.length, plpmtu, false));
      Collections.shuffle(fragments, new java.util.Random(random.nextLong()));
      Result last = INCOMPLETE;
      for (DataFrag fragment : fragments) {
        assertThat(last).isEqualTo(INCOMPLETE);
        last = reassembler.add(fragment);
      }
      assertThat(last).isInstanceOf(Result.Complete.class);
      assertThat(((Result.Complete) last).packet()).isEqualTo(packet);
    }
    assertThat(reassembler.pending()).isZero();
  }
}
