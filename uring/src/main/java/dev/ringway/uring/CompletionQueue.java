package dev.ringway.uring;

import static dev.ringway.uring.Layouts.CQE_FLAGS;
import static dev.ringway.uring.Layouts.CQE_RES;
import static dev.ringway.uring.Layouts.CQE_SIZE;
import static dev.ringway.uring.Layouts.CQE_USER_DATA;
import static dev.ringway.uring.Layouts.CQ_OFF_CQES;
import static dev.ringway.uring.Layouts.CQ_OFF_ENTRIES;
import static dev.ringway.uring.Layouts.CQ_OFF_HEAD;
import static dev.ringway.uring.Layouts.CQ_OFF_MASK;
import static dev.ringway.uring.Layouts.CQ_OFF_OVERFLOW;
import static dev.ringway.uring.Layouts.CQ_OFF_TAIL;
import static dev.ringway.uring.Layouts.P_CQ_OFF;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The completion half of a ring: the kernel's tail is read with acquire, the entries up to it are
 * handed to the handler, and the head is released once per batch so the kernel may reuse them.
 */
final class CompletionQueue {
  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

  private final MemorySegment rings;
  private final long headOffset;
  private final long tailOffset;
  private final long overflowOffset;
  private final long cqesOffset;
  final int entries;
  private final int mask;
  private int head;
  private long reaped;
  private long finals;

  CompletionQueue(RingMapping mapping, MemorySegment params, long reaped, long finals) {
    this.rings = mapping.rings();
    this.headOffset = params.get(JAVA_INT, P_CQ_OFF + CQ_OFF_HEAD);
    this.tailOffset = params.get(JAVA_INT, P_CQ_OFF + CQ_OFF_TAIL);
    this.overflowOffset = params.get(JAVA_INT, P_CQ_OFF + CQ_OFF_OVERFLOW);
    this.cqesOffset = params.get(JAVA_INT, P_CQ_OFF + CQ_OFF_CQES);
    this.entries = rings.get(JAVA_INT, params.get(JAVA_INT, P_CQ_OFF + CQ_OFF_ENTRIES));
    this.mask = rings.get(JAVA_INT, params.get(JAVA_INT, P_CQ_OFF + CQ_OFF_MASK));
    this.head = (int) INT.getAcquire(rings, headOffset);
    this.reaped = reaped;
    this.finals = finals;
  }

  /**
   * Hands every available completion to {@code handler}. An entry counts as consumed once handed
   * over, so a handler that throws loses no other completion and never sees one twice.
   */
  int drain(CqeHandler handler) {
    int tail = (int) INT.getAcquire(rings, tailOffset);
    int count = 0;
    try {
      while (head != tail) {
        long base = cqesOffset + (long) (head & mask) * CQE_SIZE;
        long userData = rings.get(JAVA_LONG, base + CQE_USER_DATA);
        int res = rings.get(JAVA_INT, base + CQE_RES);
        int flags = rings.get(JAVA_INT, base + CQE_FLAGS);
        head++;
        count++;
        if ((flags & Cqe.F_MORE) == 0) {
          finals++;
        }
        handler.handle(userData, res, flags);
      }
    } finally {
      INT.setRelease(rings, headOffset, head);
      reaped += count;
    }
    return count;
  }

  /** Completions waiting to be drained. */
  int ready() {
    return (int) INT.getAcquire(rings, tailOffset) - head;
  }

  /** Completions the kernel could not post at all (its {@code cq_overflow} counter). */
  long kernelOverflow() {
    return Integer.toUnsignedLong((int) INT.getVolatile(rings, overflowOffset));
  }

  long reaped() {
    return reaped;
  }

  /** Completions that ended their request (no {@link Cqe#F_MORE}). */
  long finals() {
    return finals;
  }
}
