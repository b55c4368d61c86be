package dev.ringway.loop;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared pool of send slots for TUN writes, UDP sends and TCP sends ({@code io.tx.slots}). Each
 * slot owns an off-heap buffer and a reusable {@link ByteBuffer} view of it; nothing is allocated
 * per packet.
 *
 * <p>A slot is busy from {@link #acquire()} until {@link #release(Slot)}, which the source that
 * submitted it calls once the send's completion arrived: the buffer belongs to the kernel until
 * then. When every slot is busy, {@link #acquire()} returns null; the caller counts it as slot
 * exhaustion and drops, and receive paths stop re-arming until slots come back (back-pressure
 * instead of an unbounded queue). Shrinking takes effect at once for free slots and as busy ones
 * come back; growing is immediate.
 *
 * <p>Only the loop thread uses a pool.
 */
public final class TxPool {
  /** Room for one outside datagram (1500) or one inside packet of the largest MTU, with margin. */
  public static final int SLOT_BYTES = 2048;

  private final List<Slot> slots = new ArrayList<>();
  private int[] free = new int[0];
  private int freeCount;
  private int target;

  public TxPool(int size) {
    resize(size);
  }

  /** One send slot. */
  public static final class Slot {
    private final int index;
    private final MemorySegment buffer;
    private final ByteBuffer view;
    private boolean busy;

    private Slot(int index) {
      // GC-managed memory: a slot stays reachable from the pool, or from the request that holds
      // it, until its completion; only then can the memory go.
      Arena arena = Arena.ofAuto();
      this.index = index;
      this.buffer = arena.allocate(SLOT_BYTES, 64);
      this.view = buffer.asByteBuffer();
    }

    public int index() {
      return index;
    }

    /** The slot's buffer; a send uses its first bytes. */
    public MemorySegment buffer() {
      return buffer;
    }

    /**
     * The buffer as a {@link ByteBuffer}, cleared for writing. The same object every time, so
     * callers allocate nothing.
     */
    public ByteBuffer view() {
      return view.clear();
    }
  }

  /** A free slot, or null when all are busy. */
  public Slot acquire() {
    if (freeCount == 0) {
      return null;
    }
    Slot slot = slots.get(free[--freeCount]);
    slot.busy = true;
    return slot;
  }

  /** Gives back a slot whose send has completed (or that was never submitted). */
  public void release(Slot slot) {
    if (!slot.busy) {
      throw new IllegalStateException("slot " + slot.index + " released twice");
    }
    slot.busy = false;
    if (slot.index < target) {
      free[freeCount++] = slot.index;
    }
  }

  /** The slot with {@code index}, for completions that carry only the index. */
  public Slot slot(int index) {
    return slots.get(index);
  }

  /** The configured number of slots. */
  public int size() {
    return target;
  }

  /**
   * Slots that inside data leaves free: an eighth of the pool, for control frames (handshakes,
   * Pongs, Goodbye) and TUN writes when a few peers stop reading.
   */
  public int dataReserve() {
    return size() / 8;
  }

  /** Slots free right now. */
  public int free() {
    return freeCount;
  }

  /** Slots acquired and not yet released (including ones above a lowered size). */
  public int busy() {
    int busy = 0;
    for (Slot slot : slots) {
      if (slot.busy) {
        busy++;
      }
    }
    return busy;
  }

  /**
   * Changes the number of slots. Growing adds free slots now; shrinking removes free slots above
   * the new size now and busy ones when they are released.
   */
  public void resize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a TX pool needs at least one slot, got " + size);
    }
    while (slots.size() < size) {
      slots.add(new Slot(slots.size()));
    }
    target = size;
    int[] rebuilt = new int[size];
    int count = 0;
    for (int i = size - 1; i >= 0; i--) {
      if (!slots.get(i).busy) {
        rebuilt[count++] = i;
      }
    }
    free = rebuilt;
    freeCount = count;
    // Slots above the size that are free now are dropped; busy ones stay until released, then
    // are not returned to the free list (see release).
    for (int i = slots.size() - 1; i >= size && !slots.get(i).busy; i--) {
      slots.remove(i);
    }
  }
}
