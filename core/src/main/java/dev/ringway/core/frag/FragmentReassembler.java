package dev.ringway.core.frag;

import dev.ringway.core.wire.DataFrag;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reassembles DataFrag fragments into inside packets (digest §7.2). One per connection, created
 * when its first DataFrag arrives. Partial packets are kept per fragment id in an LRU map of
 * bounded size; there is no time-based expiry, so old incomplete packets leave only under LRU
 * pressure.
 *
 * <p>Each partial packet is a sorted list of contiguous byte ranges. A fragment is refused (and the
 * partial packet dropped) when it is empty, overlaps received bytes, is a last fragment ending
 * where received bytes start, or would follow the last fragment. The packet is complete when one
 * range remains, starting at 0 and ended by a fragment without MF.
 *
 * <p>Whether the completed packet is encoded (kind 17) is the caller's: it knows the kind of the
 * frame that completed it. Not thread-safe: it belongs to its connection's loop thread.
 */
public final class FragmentReassembler {
  /** Lightway's {@code FragmentMap::DEFAULT_MAX_ENTRIES}. */
  public static final int DEFAULT_CAPACITY = 4096;

  private final Map<Integer, PartialPacket> partial;

  public FragmentReassembler() {
    this(DEFAULT_CAPACITY);
  }

  public FragmentReassembler(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.partial =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Integer, PartialPacket> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The outcome of adding one fragment. */
  public sealed interface Result {
    /** All bytes of the packet have arrived; here they are, in order. */
    record Complete(byte[] packet) implements Result {}

    /** More fragments are needed. */
    record Incomplete() implements Result {}

    /** The fragment was refused and the partial packet with its id discarded. */
    record Refused(FragmentError error) implements Result {}
  }

  private static final Result INCOMPLETE = new Result.Incomplete();

  /** Adds a decoded fragment. */
  public Result add(DataFrag fragment) {
    byte[] payload = fragment.payload();
    return add(
        fragment.fragmentId(),
        fragment.offset(),
        fragment.moreFragments(),
        ByteBuffer.wrap(payload),
        0,
        payload.length);
  }

  /**
   * Adds a fragment whose bytes lie in {@code [index, index + length)} of {@code buffer}, as
   * located by {@link dev.ringway.core.wire.FrameCursor}. The bytes are copied; the buffer may be
   * reused.
   */
  public Result add(
      int fragmentId, int offset, boolean moreFragments, ByteBuffer buffer, int index, int length) {
    PartialPacket packet = partial.computeIfAbsent(fragmentId, id -> new PartialPacket());
    FragmentError error = packet.add(offset, moreFragments, buffer, index, length);
    if (error != null) {
      partial.remove(fragmentId);
      return new Result.Refused(error);
    }
    byte[] complete = packet.completed();
    if (complete == null) {
      return INCOMPLETE;
    }
    partial.remove(fragmentId);
    return new Result.Complete(complete);
  }

  /** Number of packets currently partially received. */
  public int pending() {
    return partial.size();
  }

  /** The received ranges of one fragment id, sorted and never overlapping or touching. */
  private static final class PartialPacket {
    private final List<Range> ranges = new ArrayList<>(4);

    FragmentError add(int start, boolean moreFragments, ByteBuffer buffer, int index, int length) {
      if (length == 0) {
        return FragmentError.EMPTY;
      }
      int end = start + length;
      for (Range r : ranges) {
        if (end > r.start && start < r.end) {
          return FragmentError.OVERLAPPING;
        }
      }
      byte[] bytes = new byte[length];
      buffer.get(index, bytes);
      for (int i = 0; i < ranges.size(); i++) {
        Range r = ranges.get(i);
        if (end < r.start) {
          ranges.add(i, new Range(start, bytes, !moreFragments));
          return null;
        }
        if (end == r.start) {
          if (!moreFragments) {
            return FragmentError.LAST_FRAGMENT_BEFORE_CURRENT_TAIL;
          }
          r.prepend(start, bytes);
          return null;
        }
        if (r.end == start) {
          if (r.last) {
            return FragmentError.AFTER_LAST;
          }
          r.append(bytes, !moreFragments);
          if (i + 1 < ranges.size() && ranges.get(i + 1).start == r.end) {
            if (r.last) {
              return FragmentError.AFTER_LAST;
            }
            Range next = ranges.remove(i + 1);
            r.chunks.addAll(next.chunks);
            r.end = next.end;
            r.last = next.last;
          }
          return null;
        }
      }
      ranges.add(new Range(start, bytes, !moreFragments));
      return null;
    }

    byte[] completed() {
      if (ranges.size() != 1) {
        return null;
      }
      Range only = ranges.getFirst();
      if (only.start != 0 || !only.last) {
        return null;
      }
      byte[] packet = new byte[only.end];
      int p = 0;
      for (byte[] chunk : only.chunks) {
        System.arraycopy(chunk, 0, packet, p, chunk.length);
        p += chunk.length;
      }
      return packet;
    }
  }

  /** Contiguous received bytes {@code [start, end)}, kept as the fragments that brought them. */
  private static final class Range {
    int start;
    int end;
    boolean last;
    final List<byte[]> chunks = new ArrayList<>(2);

    Range(int start, byte[] bytes, boolean last) {
      this.start = start;
      this.end = start + bytes.length;
      this.last = last;
      chunks.add(bytes);
    }

    void prepend(int newStart, byte[] bytes) {
      start = newStart;
      chunks.addFirst(bytes);
    }

    void append(byte[] bytes, boolean nowLast) {
      end += bytes.length;
      last = nowLast;
      chunks.add(bytes);
    }
  }
}
