package dev.ringway.loop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The streams of one stream source, on either engine: slots reused through a free list, each with a
 * generation that changes with every use, so that an id (generation and index in one long) that
 * named a stream since released is recognised and ignored. Loop thread only.
 *
 * @param <S> the engine's per-stream state
 */
public final class StreamTable<S extends StreamTable.Slot> implements Iterable<S> {
  private static final int GENERATION_MASK = 0xff_ffff;

  /** One slot's identity: its index and its current generation. */
  public abstract static class Slot {
    private final int index;
    private int generation;

    protected Slot(int index) {
      this.index = index;
    }

    public final int index() {
      return index;
    }

    /** The slot's current use; a completion or id naming another one is stale. */
    public final int generation() {
      return generation;
    }

    /** Whether the slot holds a stream now. */
    protected abstract boolean inUse();
  }

  private final List<S> slots = new ArrayList<>();
  private final IntFunction<S> factory;
  private int[] free = new int[16];
  private int freeCount;

  /** A table that makes a slot with {@code factory} (given its index) when none is free. */
  public StreamTable(IntFunction<S> factory) {
    this.factory = factory;
  }

  /** A free slot, with a new generation; the caller marks it in use. */
  public S take() {
    S slot;
    if (freeCount > 0) {
      slot = slots.get(free[--freeCount]);
    } else {
      slot = factory.apply(slots.size());
      slots.add(slot);
      if (free.length < slots.size()) {
        free = Arrays.copyOf(free, slots.size() * 2);
      }
    }
    Slot taken = slot;
    taken.generation = (taken.generation + 1) & GENERATION_MASK;
    return slot;
  }

  /** The slot is free again; the caller has marked it so. */
  public void give(S slot) {
    free[freeCount++] = slot.index();
  }

  /** The id that names {@code slot}'s current use. */
  public long id(S slot) {
    return ((long) slot.generation() << 32) | slot.index();
  }

  /** The slot {@code id} names, or null when it is out of range, free or reused since. */
  public S live(long id) {
    int index = (int) id;
    if (id < 0 || index >= slots.size()) {
      return null;
    }
    S slot = slots.get(index);
    return slot.inUse() && slot.generation() == (int) (id >>> 32) ? slot : null;
  }

  /** The slot at {@code index}, in use or not. */
  public S get(int index) {
    return slots.get(index);
  }

  /** Slots made so far. */
  public int size() {
    return slots.size();
  }

  @Override
  public Iterator<S> iterator() {
    return slots.iterator();
  }
}
