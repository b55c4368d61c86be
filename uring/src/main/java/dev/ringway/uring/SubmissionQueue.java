package dev.ringway.uring;

import static dev.ringway.uring.Layouts.P_SQ_ENTRIES;
import static dev.ringway.uring.Layouts.P_SQ_OFF;
import static dev.ringway.uring.Layouts.SQE_ADDR;
import static dev.ringway.uring.Layouts.SQE_BUF_INDEX;
import static dev.ringway.uring.Layouts.SQE_FD;
import static dev.ringway.uring.Layouts.SQE_FLAGS;
import static dev.ringway.uring.Layouts.SQE_IOPRIO;
import static dev.ringway.uring.Layouts.SQE_LEN;
import static dev.ringway.uring.Layouts.SQE_OFF;
import static dev.ringway.uring.Layouts.SQE_OPCODE;
import static dev.ringway.uring.Layouts.SQE_OP_FLAGS;
import static dev.ringway.uring.Layouts.SQE_SIZE;
import static dev.ringway.uring.Layouts.SQE_USER_DATA;
import static dev.ringway.uring.Layouts.SQ_OFF_ARRAY;
import static dev.ringway.uring.Layouts.SQ_OFF_DROPPED;
import static dev.ringway.uring.Layouts.SQ_OFF_FLAGS;
import static dev.ringway.uring.Layouts.SQ_OFF_HEAD;
import static dev.ringway.uring.Layouts.SQ_OFF_MASK;
import static dev.ringway.uring.Layouts.SQ_OFF_TAIL;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The submission half of a ring: its memory, its offsets (read once from the setup parameters into
 * final fields) and its head/tail discipline. Entries are written in place and published by one
 * release store of the tail; the kernel's head is read with acquire only when the queue looks full.
 */
final class SubmissionQueue {
  static final int NEED_WAKEUP = 1;
  static final int CQ_OVERFLOW = 1 << 1;

  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

  private final MemorySegment rings;
  private final MemorySegment sqes;
  private final long headOffset;
  private final long tailOffset;
  private final long flagsOffset;
  private final long droppedOffset;
  final int entries;
  private final int mask;
  private int tail;
  private int cachedHead;
  private long last;

  SubmissionQueue(RingMapping mapping, MemorySegment params, boolean indirectionArray) {
    this.rings = mapping.rings();
    this.sqes = mapping.sqes();
    this.entries = params.get(JAVA_INT, P_SQ_ENTRIES);
    this.headOffset = params.get(JAVA_INT, P_SQ_OFF + SQ_OFF_HEAD);
    this.tailOffset = params.get(JAVA_INT, P_SQ_OFF + SQ_OFF_TAIL);
    this.flagsOffset = params.get(JAVA_INT, P_SQ_OFF + SQ_OFF_FLAGS);
    this.droppedOffset = params.get(JAVA_INT, P_SQ_OFF + SQ_OFF_DROPPED);
    this.mask = rings.get(JAVA_INT, params.get(JAVA_INT, P_SQ_OFF + SQ_OFF_MASK));
    long array = params.get(JAVA_INT, P_SQ_OFF + SQ_OFF_ARRAY);
    if (indirectionArray && array != 0) {
      // Entry i always sits in slot i, so the array is written once and never again.
      for (int i = 0; i < entries; i++) {
        rings.set(JAVA_INT, array + (long) i * Integer.BYTES, i);
      }
    }
    this.tail = (int) INT.getAcquire(rings, tailOffset);
    this.cachedHead = (int) INT.getAcquire(rings, headOffset);
  }

  /** Whether every entry is taken (re-reading the kernel's head before saying so). */
  boolean full() {
    if (tail - cachedHead < entries) {
      return false;
    }
    cachedHead = (int) INT.getAcquire(rings, headOffset);
    return tail - cachedHead >= entries;
  }

  /**
   * Claims and fills the next entry; false when the queue is full. Every field not given here is
   * zero.
   */
  boolean enqueue(int opcode, int fd, long addr, int len, long off, int opFlags, long userData) {
    if (tail - cachedHead >= entries) {
      cachedHead = (int) INT.getAcquire(rings, headOffset);
      if (tail - cachedHead >= entries) {
        return false;
      }
    }
    long base = (long) (tail & mask) * SQE_SIZE;
    for (long word = 0; word < SQE_SIZE; word += Long.BYTES) {
      sqes.set(JAVA_LONG, base + word, 0L);
    }
    sqes.set(JAVA_BYTE, base + SQE_OPCODE, (byte) opcode);
    sqes.set(JAVA_INT, base + SQE_FD, fd);
    sqes.set(JAVA_LONG, base + SQE_OFF, off);
    sqes.set(JAVA_LONG, base + SQE_ADDR, addr);
    sqes.set(JAVA_INT, base + SQE_LEN, len);
    sqes.set(JAVA_INT, base + SQE_OP_FLAGS, opFlags);
    sqes.set(JAVA_LONG, base + SQE_USER_DATA, userData);
    last = base;
    tail++;
    return true;
  }

  /** The slot index of the entry last enqueued, for per-entry scratch memory. */
  int lastSlot() {
    return (int) (last / SQE_SIZE);
  }

  void lastOrFlags(int sqeFlags) {
    byte old = sqes.get(JAVA_BYTE, last + SQE_FLAGS);
    sqes.set(JAVA_BYTE, last + SQE_FLAGS, (byte) (old | sqeFlags));
  }

  int lastFlags() {
    return sqes.get(JAVA_BYTE, last + SQE_FLAGS) & 0xff;
  }

  void lastAddr(long addr) {
    sqes.set(JAVA_LONG, last + SQE_ADDR, addr);
  }

  void lastIoprio(int ioprio) {
    sqes.set(JAVA_SHORT, last + SQE_IOPRIO, (short) ioprio);
  }

  void lastBufIndex(int bufIndexOrGroup) {
    sqes.set(JAVA_SHORT, last + SQE_BUF_INDEX, (short) bufIndexOrGroup);
  }

  /** Publishes every entry enqueued so far; returns how many the kernel has yet to consume. */
  int publish() {
    INT.setRelease(rings, tailOffset, tail);
    return tail - (int) INT.getAcquire(rings, headOffset);
  }

  /** Entries enqueued that the kernel has not consumed yet (published or not). */
  int pending() {
    return tail - (int) INT.getAcquire(rings, headOffset);
  }

  /** Free entries, as of the kernel's current head. */
  int space() {
    cachedHead = (int) INT.getAcquire(rings, headOffset);
    return entries - (tail - cachedHead);
  }

  /** The ring flags ({@link #NEED_WAKEUP}, {@link #CQ_OVERFLOW}), read after a full fence. */
  int flags() {
    VarHandle.fullFence();
    return (int) INT.getVolatile(rings, flagsOffset);
  }

  /** Entries the kernel dropped as invalid. */
  long dropped() {
    return Integer.toUnsignedLong((int) INT.getVolatile(rings, droppedOffset));
  }
}
