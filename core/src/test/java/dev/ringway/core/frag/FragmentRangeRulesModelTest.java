package dev.ringway.core.frag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.core.frag.FragmentReassembler.Outcome;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The reassembler against a direct transcription of digest §7.2 (a sorted list of ranges per id,
 * walked in order): for random fragment sequences on a few ids, with no limit reached, both give
 * the same outcome, the same refusal, the same bytes and the same number of partial packets.
 */
class FragmentRangeRulesModelTest {

  /** §7.2 word for word, with no bounds, no expiry and no care for cost. */
  private static final class Model {
    private static final class Range {
      int start;
      int end;
      boolean last;
      byte[] bytes;
    }

    final Map<Integer, List<Range>> partial = new HashMap<>();
    byte[] completed;
    FragmentError error;

    Outcome add(int id, int start, boolean more, byte[] data) {
      List<Range> ranges = partial.computeIfAbsent(id, k -> new ArrayList<>());
      FragmentError refused = insert(ranges, start, more, data);
      if (refused != null) {
        partial.remove(id);
        error = refused;
        return Outcome.REFUSED;
      }
      if (ranges.size() == 1 && ranges.getFirst().start == 0 && ranges.getFirst().last) {
        completed = ranges.getFirst().bytes;
        partial.remove(id);
        return Outcome.COMPLETE;
      }
      return Outcome.INCOMPLETE;
    }

    private static FragmentError insert(List<Range> ranges, int s, boolean more, byte[] data) {
      if (data.length == 0) {
        return FragmentError.EMPTY;
      }
      int e = s + data.length;
      for (Range r : ranges) {
        if (e > r.start && s < r.end) {
          return FragmentError.OVERLAPPING;
        }
      }
      for (int i = 0; i < ranges.size(); i++) {
        Range r = ranges.get(i);
        if (e < r.start) {
          ranges.add(i, range(s, data, !more));
          return null;
        }
        if (e == r.start) {
          if (!more) {
            return FragmentError.LAST_FRAGMENT_BEFORE_CURRENT_TAIL;
          }
          r.start = s;
          r.bytes = concat(data, r.bytes);
          return null;
        }
        if (r.end == s) {
          if (r.last) {
            return FragmentError.AFTER_LAST;
          }
          r.end = e;
          r.last = !more;
          r.bytes = concat(r.bytes, data);
          if (i + 1 < ranges.size() && ranges.get(i + 1).start == r.end) {
            if (r.last) {
              return FragmentError.AFTER_LAST;
            }
            Range next = ranges.remove(i + 1);
            r.end = next.end;
            r.last = next.last;
            r.bytes = concat(r.bytes, next.bytes);
          }
          return null;
        }
      }
      ranges.add(range(s, data, !more));
      return null;
    }

    private static Range range(int start, byte[] data, boolean last) {
      Range r = new Range();
      r.start = start;
      r.end = start + data.length;
      r.last = last;
      r.bytes = data;
      return r;
    }

    private static byte[] concat(byte[] a, byte[] b) {
      byte[] both = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, both, a.length, b.length);
      return both;
    }
  }

  @Test
  void randomFragmentSequencesFollowTheDigestsRangeRules() {
    SplittableRandom random = new SplittableRandom(7_2);
    byte[] source = new byte[4096];
    random.nextBytes(source);
    ByteBuffer buffer = ByteBuffer.wrap(source);
    int completions = 0;
    int refusals = 0;
    for (int round = 0; round < 200; round++) {
      Model model = new Model();
      FragmentReassembler reassembler = new FragmentReassembler();
      long now = 0;
      for (int step = 0; step < 2000; step++) {
        int id = random.nextInt(4);
        int offset = random.nextInt(12) * 8;
        boolean more = random.nextInt(3) != 0;
        int length = random.nextInt(4) == 0 ? random.nextInt(0, 20) : 8 * random.nextInt(1, 3);
        int index = random.nextInt(1000);
        byte[] data = Arrays.copyOfRange(source, index, index + length);
        now += 1_000;

        Outcome expected = model.add(id, offset, more, data);
        Outcome actual = reassembler.accept(id, offset, more, buffer, index, length, now);

        assertThat(actual).isEqualTo(expected);
        if (expected == Outcome.REFUSED) {
          assertThat(reassembler.refusal()).isEqualTo(model.error);
          refusals++;
        }
        if (expected == Outcome.COMPLETE) {
          ByteBuffer packet = reassembler.completedPacket();
          byte[] bytes = new byte[packet.remaining()];
          packet.get(0, bytes);
          assertThat(bytes).isEqualTo(model.completed);
          completions++;
        }
        assertThat(reassembler.pending()).isEqualTo(model.partial.size());
      }
    }
    // The sequences exercise both ends of the rules, not just one.
    assertThat(completions).isGreaterThan(1000);
    assertThat(refusals).isGreaterThan(1000);
  }
}
