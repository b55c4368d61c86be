package dev.ringway.core.frag;

import dev.ringway.core.wire.DataFrag;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/**
 * Reassembles DataFrag fragments into inside packets (digest §7.2). One per connection, created
 * when its first DataFrag arrives. Not thread-safe: it belongs to its connection's loop thread.
 *
 * <p>The range rules are Lightway's: a fragment is refused (and the partial packet with its id
 * dropped) when it is empty, overlaps received bytes, is a last fragment ending where received
 * bytes start, or would follow the last fragment; the packet is complete when the received bytes
 * run without a gap from 0 to a fragment without MF.
 *
 * <p>Unlike Lightway (4096 partial packets per connection, no byte limit, no expiry), everything a
 * peer can make it hold is bounded by {@link Limits}: partial packets, buffered payload bytes and
 * stored fragments per connection, and the age of a partial packet. Room for a new fragment is made
 * by dropping the least recently touched partial packets; partial packets older than the lifetime
 * are dropped when the connection next passes a fragment or {@link #expire(long)}. A fragment is
 * located among its packet's fragments by binary search, the id among the partial packets by
 * hashing, and the least recent packet by a linked list, so no step scans. Slots, their arrays and
 * the output buffer are reused: once warmed up, reassembling allocates nothing.
 */
public final class FragmentReassembler {
  /**
   * What one connection may make the reassembler hold.
   *
   * @param partialPackets packets partially received at once
   * @param bufferedBytes fragment payload bytes held across those packets
   * @param fragments fragments held across those packets
   * @param lifetime how long a partial packet may wait for its remaining fragments
   */
  public record Limits(int partialPackets, int bufferedBytes, int fragments, Duration lifetime) {
    /**
     * The defaults. Lightway's clients fragment only packets above the data MPS, and send the
     * fragments of one packet back to back; at the default inside MTU (1350) that is two fragments
     * per packet, so even deep reordering leaves a handful of packets in flight. 64 partial
     * packets, 256 KiB (four packets of the 65535-byte maximum, or about 190 at the inside MTU),
     * 2048 fragments (a maximal packet cut for the smallest MTU still fits) and two seconds
     * (fragments of one packet arrive within milliseconds; Linux keeps IP fragments 30 s, but those
     * come from routers with queues, not from one tunnel peer) bound a flood at under 1 MiB per
     * connection (stores grow by doubling; one completed packet is kept in the output until the
     * next fragment) while leaving real traffic untouched.
     */
    public static final Limits DEFAULT = new Limits(64, 256 * 1024, 2048, Duration.ofSeconds(2));

    public Limits {
      if (partialPackets < 1 || bufferedBytes < 1 || fragments < 1) {
        throw new IllegalArgumentException("limits must be positive");
      }
      if (lifetime.isNegative() || lifetime.isZero()) {
        throw new IllegalArgumentException("lifetime must be positive: " + lifetime);
      }
    }

    /** The default limits with another bound on partial packets. */
    public Limits withPartialPackets(int count) {
      return new Limits(count, bufferedBytes, fragments, lifetime);
    }
  }

  /** What {@link #accept} made of one fragment. */
  public enum Outcome {
    /** All bytes of the packet have arrived: they are in {@link #completedPacket()}. */
    COMPLETE,
    /** More fragments are needed. */
    INCOMPLETE,
    /** The fragment was refused ({@link #refusal()} says why) and its partial packet dropped. */
    REFUSED
  }

  /**
   * The outcome of adding one fragment, with its bytes (the allocating form of {@link #accept}).
   */
  public sealed interface Result {
    /** All bytes of the packet have arrived; here they are, in order. */
    record Complete(byte[] packet) implements Result {}

    /** More fragments are needed. */
    record Incomplete() implements Result {}

    /** The fragment was refused and the partial packet with its id discarded. */
    record Refused(FragmentError error) implements Result {}
  }

  private static final Result INCOMPLETE = new Result.Incomplete();

  /** Slot arrays up to these sizes are kept for the next packet; larger ones go back to the GC. */
  private static final int KEPT_STORE_BYTES = 4096;

  private static final int KEPT_FRAGMENTS = 8;

  /** An output buffer up to this size is kept for the next packet. */
  private static final int KEPT_OUTPUT_BYTES = 16 * 1024;

  /** Estimated bytes of one slot object, its headers and its empty arrays, for the figures. */
  private static final int SLOT_OVERHEAD = 128;

  private static final int NONE = -1;

  private final Limits limits;
  private final long lifetimeNanos;
  private final Partial[] slots;
  private final int[] freeSlots;
  private int freeCount;
  private int slotsCreated;

  /** Open addressing, linear probing: slot index + 1 per entry, 0 when empty. */
  private final int[] table;

  private final int tableMask;

  /** Least recently touched partial packet at the tail, most recently touched at the head. */
  private int head = NONE;

  private int tail = NONE;
  private int pending;
  private int bufferedBytes;
  private int fragmentsHeld;

  private byte[] output = new byte[0];
  private ByteBuffer outputView = ByteBuffer.wrap(output);
  private FragmentError refusal;
  private long evictions;
  private long expirations;

  /** A reassembler with {@link Limits#DEFAULT}. */
  public FragmentReassembler() {
    this(Limits.DEFAULT);
  }

  /** A reassembler with the default limits but at most {@code partialPackets} partial packets. */
  public FragmentReassembler(int partialPackets) {
    this(Limits.DEFAULT.withPartialPackets(partialPackets));
  }

  public FragmentReassembler(Limits limits) {
    this.limits = limits;
    this.lifetimeNanos = limits.lifetime().toNanos();
    this.slots = new Partial[limits.partialPackets()];
    this.freeSlots = new int[limits.partialPackets()];
    int size = Integer.highestOneBit(Math.max(2, limits.partialPackets()) * 2 - 1) << 1;
    this.table = new int[size];
    this.tableMask = size - 1;
  }

  /** The limits this reassembler enforces. */
  public Limits limits() {
    return limits;
  }

  /**
   * Adds a fragment whose bytes lie in {@code [index, index + length)} of {@code buffer}, as
   * located by {@link dev.ringway.core.wire.FrameCursor}, arriving at {@code nowNanos} (any
   * monotonic clock, the same for every call). The bytes are copied; the buffer may be reused.
   * Allocates nothing once its slots have grown to the traffic's size.
   */
  public Outcome accept(
      int fragmentId,
      int offset,
      boolean moreFragments,
      ByteBuffer buffer,
      int index,
      int length,
      long nowNanos) {
    if (output.length > KEPT_OUTPUT_BYTES) {
      output = new byte[0];
      outputView = ByteBuffer.wrap(output);
    }
    expire(nowNanos);
    int slot = find(fragmentId);
    if (slot != NONE && nowNanos - slots[slot].firstNanos >= lifetimeNanos) {
      expirations++;
      release(slot);
      slot = NONE;
    }
    if (length == 0) {
      return refuse(slot, FragmentError.EMPTY);
    }
    if (length > limits.bufferedBytes()) {
      return refuse(slot, FragmentError.TOO_LARGE);
    }
    Partial packet = slot == NONE ? null : slots[slot];
    int position = 0;
    if (packet != null) {
      int start = offset;
      int end = offset + length;
      position = packet.lowerBound(start);
      int before = position - 1;
      boolean touchesBefore = false;
      boolean touchesAfter = false;
      if (before >= 0) {
        int beforeEnd = packet.end(before);
        if (beforeEnd > start) {
          return refuse(slot, FragmentError.OVERLAPPING);
        }
        touchesBefore = beforeEnd == start;
      }
      if (position < packet.count) {
        int afterStart = packet.starts[position];
        if (afterStart < end) {
          return refuse(slot, FragmentError.OVERLAPPING);
        }
        touchesAfter = afterStart == end;
      }
      if (touchesBefore) {
        if (packet.isLast(before) || (touchesAfter && !moreFragments)) {
          return refuse(slot, FragmentError.AFTER_LAST);
        }
      } else if (touchesAfter && !moreFragments) {
        return refuse(slot, FragmentError.LAST_FRAGMENT_BEFORE_CURRENT_TAIL);
      }
      if (packet.bytes + length > limits.bufferedBytes() || packet.count + 1 > limits.fragments()) {
        return refuse(slot, FragmentError.TOO_LARGE);
      }
    }
    makeRoom(slot, length);
    if (slot == NONE) {
      slot = open(fragmentId, nowNanos);
      packet = slots[slot];
    }
    packet.insert(position, offset, length, !moreFragments, buffer, index);
    bufferedBytes += length;
    fragmentsHeld++;
    packet.lastNanos = nowNanos;
    touch(slot);
    if (!packet.isComplete()) {
      return Outcome.INCOMPLETE;
    }
    int size = packet.end(packet.count - 1);
    if (output.length < size) {
      output = new byte[size];
      outputView = ByteBuffer.wrap(output);
    }
    packet.copyTo(output);
    release(slot);
    outputView.limit(size).position(0);
    return Outcome.COMPLETE;
  }

  /**
   * The packet the last {@link Outcome#COMPLETE} finished, from position 0 to its limit. Valid
   * until the next call into the reassembler.
   */
  public ByteBuffer completedPacket() {
    return outputView;
  }

  /** Why the last {@link Outcome#REFUSED} fragment was refused. */
  public FragmentError refusal() {
    return refusal;
  }

  /** Adds a decoded fragment now (allocating; tests and tools). */
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
   * Adds a fragment at {@link System#nanoTime()}; as {@link #accept}, but the completed packet is
   * copied into a new array.
   */
  public Result add(
      int fragmentId, int offset, boolean moreFragments, ByteBuffer buffer, int index, int length) {
    return switch (accept(
        fragmentId, offset, moreFragments, buffer, index, length, System.nanoTime())) {
      case COMPLETE -> {
        byte[] packet = new byte[outputView.limit()];
        outputView.get(0, packet);
        yield new Result.Complete(packet);
      }
      case INCOMPLETE -> INCOMPLETE;
      case REFUSED -> new Result.Refused(refusal);
    };
  }

  /**
   * Drops the partial packets that have waited their whole lifetime without a fragment. {@link
   * #accept} does this itself; call it from the connection's timer so an idle connection frees them
   * too.
   */
  public void expire(long nowNanos) {
    while (tail != NONE && nowNanos - slots[tail].lastNanos >= lifetimeNanos) {
      expirations++;
      release(tail);
    }
  }

  /** When {@link #expire} next has work, on the {@code nowNanos} clock; MAX_VALUE if never. */
  public long nextExpiryNanos() {
    return tail == NONE ? Long.MAX_VALUE : slots[tail].lastNanos + lifetimeNanos;
  }

  /** Number of packets currently partially received. */
  public int pending() {
    return pending;
  }

  /** Fragment payload bytes held for partial packets. */
  public int bufferedBytes() {
    return bufferedBytes;
  }

  /** Fragments held for partial packets. */
  public int fragmentsHeld() {
    return fragmentsHeld;
  }

  /**
   * An estimate of the heap this reassembler keeps, in bytes: every slot and array it holds, filled
   * or kept for reuse, and the output buffer.
   */
  public long retainedBytes() {
    long total = 16L + 4L * table.length + 4L * freeSlots.length + 4L * slots.length;
    total += output.length;
    for (int i = 0; i < slotsCreated; i++) {
      total += SLOT_OVERHEAD + slots[i].capacityBytes();
    }
    return total;
  }

  /** Partial packets dropped to make room for newer fragments. */
  public long evictions() {
    return evictions;
  }

  /** Partial packets dropped because they outlived {@link Limits#lifetime()}. */
  public long expirations() {
    return expirations;
  }

  private Outcome refuse(int slot, FragmentError error) {
    if (slot != NONE) {
      release(slot);
    }
    refusal = error;
    return Outcome.REFUSED;
  }

  /**
   * Drops least recently touched packets other than {@code keep} until a fragment of {@code length}
   * bytes (and, for a new packet, its slot) fits.
   */
  private void makeRoom(int keep, int length) {
    while (tail != NONE
        && (bufferedBytes + length > limits.bufferedBytes()
            || fragmentsHeld + 1 > limits.fragments()
            || (keep == NONE && pending == slots.length))) {
      int victim = tail == keep ? slots[tail].newer : tail;
      if (victim == NONE) {
        return;
      }
      evictions++;
      release(victim);
    }
  }

  private int open(int fragmentId, long nowNanos) {
    int slot;
    if (freeCount > 0) {
      slot = freeSlots[--freeCount];
    } else {
      slot = slotsCreated++;
      slots[slot] = new Partial();
    }
    Partial packet = slots[slot];
    packet.id = fragmentId;
    packet.firstNanos = nowNanos;
    packet.newer = NONE;
    packet.older = NONE;
    int i = hash(fragmentId);
    while (table[i] != 0) {
      i = (i + 1) & tableMask;
    }
    table[i] = slot + 1;
    if (head == NONE) {
      head = slot;
      tail = slot;
    } else {
      slots[head].newer = slot;
      packet.older = head;
      head = slot;
    }
    pending++;
    return slot;
  }

  private void release(int slot) {
    Partial packet = slots[slot];
    unlink(slot);
    removeFromTable(packet.id);
    bufferedBytes -= packet.bytes;
    fragmentsHeld -= packet.count;
    packet.clear();
    freeSlots[freeCount++] = slot;
    pending--;
  }

  private void touch(int slot) {
    if (head == slot) {
      return;
    }
    unlink(slot);
    Partial packet = slots[slot];
    packet.older = head;
    packet.newer = NONE;
    if (head != NONE) {
      slots[head].newer = slot;
    }
    head = slot;
    if (tail == NONE) {
      tail = slot;
    }
  }

  private void unlink(int slot) {
    Partial packet = slots[slot];
    if (packet.newer != NONE) {
      slots[packet.newer].older = packet.older;
    } else if (head == slot) {
      head = packet.older;
    }
    if (packet.older != NONE) {
      slots[packet.older].newer = packet.newer;
    } else if (tail == slot) {
      tail = packet.newer;
    }
    packet.newer = NONE;
    packet.older = NONE;
  }

  private int find(int fragmentId) {
    for (int i = hash(fragmentId); table[i] != 0; i = (i + 1) & tableMask) {
      int slot = table[i] - 1;
      if (slots[slot].id == fragmentId) {
        return slot;
      }
    }
    return NONE;
  }

  /** Removes an id, shifting later entries of its probe run back so lookups stay exact. */
  private void removeFromTable(int fragmentId) {
    int i = hash(fragmentId);
    while (slots[table[i] - 1].id != fragmentId) {
      i = (i + 1) & tableMask;
    }
    int gap = i;
    for (int j = (gap + 1) & tableMask; table[j] != 0; j = (j + 1) & tableMask) {
      int home = hash(slots[table[j] - 1].id);
      // The entry at j may move into the gap unless its home lies cyclically in (gap, j].
      boolean homeBetween = gap <= j ? (home > gap && home <= j) : (home > gap || home <= j);
      if (!homeBetween) {
        table[gap] = table[j];
        gap = j;
      }
    }
    table[gap] = 0;
  }

  private int hash(int fragmentId) {
    return ((fragmentId * 0x9E3779B9) >>> 16) & tableMask;
  }

  /** One partial packet: its fragments sorted by offset, their bytes in arrival order. */
  private static final class Partial {
    private static final int LAST = 1 << 30;

    int id;
    long firstNanos;
    long lastNanos;
    int newer = NONE;
    int older = NONE;
    int count;
    int bytes;
    int[] starts = new int[2];

    /** End offset of each fragment, with {@link #LAST} set when it had no MF. */
    int[] ends = new int[2];

    /** Where each fragment's bytes start in {@link #store}. */
    int[] positions = new int[2];

    byte[] store = new byte[0];

    int end(int i) {
      return ends[i] & ~LAST;
    }

    boolean isLast(int i) {
      return (ends[i] & LAST) != 0;
    }

    /** Index of the first fragment starting at or after {@code offset}. */
    int lowerBound(int offset) {
      int low = 0;
      int high = count;
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (starts[mid] < offset) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      return low;
    }

    void insert(int at, int start, int length, boolean last, ByteBuffer from, int index) {
      if (count == starts.length) {
        int grown = count * 2;
        starts = Arrays.copyOf(starts, grown);
        ends = Arrays.copyOf(ends, grown);
        positions = Arrays.copyOf(positions, grown);
      }
      if (bytes + length > store.length) {
        store = Arrays.copyOf(store, Math.max(bytes + length, store.length * 2));
      }
      int moved = count - at;
      System.arraycopy(starts, at, starts, at + 1, moved);
      System.arraycopy(ends, at, ends, at + 1, moved);
      System.arraycopy(positions, at, positions, at + 1, moved);
      starts[at] = start;
      ends[at] = (start + length) | (last ? LAST : 0);
      positions[at] = bytes;
      from.get(index, store, bytes, length);
      bytes += length;
      count++;
    }

    /** No gap from 0 to a fragment without MF: the fragments never overlap, so bytes tell. */
    boolean isComplete() {
      return starts[0] == 0 && isLast(count - 1) && end(count - 1) == bytes;
    }

    void copyTo(byte[] packet) {
      for (int i = 0; i < count; i++) {
        System.arraycopy(store, positions[i], packet, starts[i], end(i) - starts[i]);
      }
    }

    void clear() {
      count = 0;
      bytes = 0;
      if (store.length > KEPT_STORE_BYTES) {
        store = new byte[0];
      }
      if (starts.length > KEPT_FRAGMENTS) {
        starts = new int[2];
        ends = new int[2];
        positions = new int[2];
      }
    }

    long capacityBytes() {
      return store.length + 12L * starts.length;
    }
  }
}
