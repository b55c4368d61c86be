package dev.ringway.loop;

import java.nio.ByteBuffer;

/**
 * One stream's unsent bytes, in order, in {@link TxPool} slots: a FIFO of filled slots whose last
 * slot is filled further before a new one is taken, so that small TLS records share slots. Both
 * engines' stream sources keep one per stream; they differ only in how the head leaves (one send in
 * flight on the ring, a gathering write on nio) and in whether the head may still grow: on the ring
 * a slot that is being sent belongs to the kernel, on nio nothing is in the kernel's hands between
 * two writes.
 *
 * <p>The queue holds at most {@code bound} bytes ({@code io.tcp.socketBuffer}); {@link #offer}
 * takes all of a chunk or nothing. Loop thread only.
 */
public final class SendQueue {
  private final TxPool txPool;
  // [head, head + count) modulo the arrays' length, a power of two.
  private int[] slots = new int[8];
  private int[] lengths = new int[8];
  private int head;
  private int count;
  private int headSent;
  private int queuedBytes;

  public SendQueue(TxPool txPool) {
    this.txPool = txPool;
  }

  /**
   * Copies all of {@code bytes} (position to limit) behind what is queued and consumes them, or
   * copies nothing and returns false: when the queue would pass {@code bound} bytes or the pool
   * lacks the slots. {@code headBusy}: the head slot is being sent and must not grow.
   */
  public boolean offer(ByteBuffer bytes, int bound, boolean headBusy) {
    int length = bytes.remaining();
    if (length == 0) {
      return true;
    }
    int tailRoom = tailRoom(headBusy);
    if (queuedBytes + length > bound || txPool.free() < slotsFor(length - tailRoom)) {
      return false;
    }
    int position = bytes.position();
    if (tailRoom > 0) {
      int tail = (head + count - 1) & (slots.length - 1);
      int used = lengths[tail];
      int part = Math.min(tailRoom, length);
      txPool.slot(slots[tail]).view().put(used, bytes, position, part);
      lengths[tail] = used + part;
      position += part;
    }
    int end = bytes.limit();
    while (position < end) {
      TxPool.Slot slot = txPool.acquire();
      int part = Math.min(TxPool.SLOT_BYTES, end - position);
      slot.view().put(0, bytes, position, part);
      append(slot.index(), part);
      position += part;
    }
    bytes.position(end);
    queuedBytes += length;
    return true;
  }

  /**
   * Whether {@code length} more bytes would be taken now and still leave the pool its {@link
   * TxPool#dataReserve()}: what inside data may use, so that control frames always find slots.
   */
  public boolean hasRoom(int length, int bound, boolean headBusy) {
    return queuedBytes + length <= bound
        && txPool.free() - slotsFor(length - tailRoom(headBusy)) >= txPool.dataReserve();
  }

  /** Queued slots. */
  public int count() {
    return count;
  }

  /** Unsent bytes, including the part of a send in flight. */
  public int queuedBytes() {
    return queuedBytes;
  }

  /** The slot at the head. */
  public TxPool.Slot headSlot() {
    return txPool.slot(slots[head]);
  }

  /** Bytes of the head slot already sent. */
  public int headSent() {
    return headSent;
  }

  /** Bytes of the head slot not yet sent. */
  public int headRemaining() {
    return lengths[head] - headSent;
  }

  /**
   * Fills {@code into} with views of the first slots (at most its length), the first from where the
   * last write stopped; returns how many.
   */
  public int gather(ByteBuffer[] into) {
    int buffers = Math.min(count, into.length);
    int mask = slots.length - 1;
    for (int i = 0; i < buffers; i++) {
      int at = (head + i) & mask;
      ByteBuffer view = txPool.slot(slots[at]).view();
      view.limit(lengths[at]);
      view.position(i == 0 ? headSent : 0);
      into[i] = view;
    }
    return buffers;
  }

  /**
   * {@code sent} bytes left from the head: slots sent completely go back to the pool. Returns
   * whether the head slot is left partly sent (a short send).
   */
  public boolean sent(long sent) {
    queuedBytes -= (int) sent;
    long left = sent;
    while (left > 0) {
      int rest = lengths[head] - headSent;
      if (left < rest) {
        headSent += (int) left;
        return true;
      }
      left -= rest;
      txPool.release(txPool.slot(slots[head]));
      head = (head + 1) & (slots.length - 1);
      count--;
      headSent = 0;
    }
    return false;
  }

  /** Gives every queued slot back to the pool; only when none of them is being sent. */
  public void clear() {
    while (count > 0) {
      txPool.release(txPool.slot(slots[head]));
      head = (head + 1) & (slots.length - 1);
      count--;
    }
    head = 0;
    headSent = 0;
    queuedBytes = 0;
  }

  private void append(int slotIndex, int length) {
    if (count == slots.length) {
      int size = slots.length;
      int[] grownSlots = new int[size * 2];
      int[] grownLengths = new int[size * 2];
      for (int i = 0; i < count; i++) {
        grownSlots[i] = slots[(head + i) & (size - 1)];
        grownLengths[i] = lengths[(head + i) & (size - 1)];
      }
      slots = grownSlots;
      lengths = grownLengths;
      head = 0;
    }
    int tail = (head + count) & (slots.length - 1);
    slots[tail] = slotIndex;
    lengths[tail] = length;
    count++;
  }

  /** Room left in the last queued slot, unless that slot is the head and {@code headBusy}. */
  private int tailRoom(boolean headBusy) {
    if (count == 0 || (count == 1 && headBusy)) {
      return 0;
    }
    int tail = (head + count - 1) & (slots.length - 1);
    return TxPool.SLOT_BYTES - lengths[tail];
  }

  private static int slotsFor(int bytes) {
    return bytes <= 0 ? 0 : (bytes + TxPool.SLOT_BYTES - 1) / TxPool.SLOT_BYTES;
  }
}
