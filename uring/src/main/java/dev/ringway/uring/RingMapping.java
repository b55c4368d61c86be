package dev.ringway.uring;

import static dev.ringway.uring.Layouts.CQE_SIZE;
import static dev.ringway.uring.Layouts.CQ_OFF_CQES;
import static dev.ringway.uring.Layouts.P_CQ_ENTRIES;
import static dev.ringway.uring.Layouts.P_CQ_OFF;
import static dev.ringway.uring.Layouts.P_SQ_ENTRIES;
import static dev.ringway.uring.Layouts.P_SQ_OFF;
import static dev.ringway.uring.Layouts.SQE_SIZE;
import static dev.ringway.uring.Layouts.SQ_OFF_ARRAY;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;

/**
 * The ring's shared memory: one mapping for both queues' heads, tails and CQEs (the kernel's
 * single-mmap feature, present since 5.4) and one for the SQE array. A resize replaces both.
 */
record RingMapping(MemorySegment rings, MemorySegment sqes) {
  private static final long OFF_SQ_RING = 0L;
  private static final long OFF_SQES = 0x10000000L;
  private static final int PROT_READ_WRITE = 0x1 | 0x2;
  private static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;

  /** Maps the regions described by {@code params}, as filled in by setup or resize. */
  static RingMapping map(int ringFd, MemorySegment params) throws LinuxException {
    long sqEntries = Integer.toUnsignedLong(params.get(JAVA_INT, P_SQ_ENTRIES));
    long cqEntries = Integer.toUnsignedLong(params.get(JAVA_INT, P_CQ_ENTRIES));
    long sqArray = Integer.toUnsignedLong(params.get(JAVA_INT, P_SQ_OFF + SQ_OFF_ARRAY));
    long cqes = Integer.toUnsignedLong(params.get(JAVA_INT, P_CQ_OFF + CQ_OFF_CQES));
    long ringsSize = Math.max(sqArray + sqEntries * Integer.BYTES, cqes + cqEntries * CQE_SIZE);
    MemorySegment rings = mmap(ringFd, ringsSize, OFF_SQ_RING, "mmap io_uring rings");
    MemorySegment sqes;
    try {
      sqes = mmap(ringFd, sqEntries * SQE_SIZE, OFF_SQES, "mmap io_uring sqes");
    } catch (LinuxException e) {
      munmap(rings);
      throw e;
    }
    return new RingMapping(rings, sqes);
  }

  void unmap() {
    munmap(sqes);
    munmap(rings);
  }

  // The kernel just mapped exactly size bytes there, so the segment's bounds are true.
  @SuppressWarnings("restricted")
  private static MemorySegment mmap(int fd, long size, long offset, String what)
      throws LinuxException {
    MemorySegment capture = Native.capture();
    MemorySegment address;
    try {
      address =
          (MemorySegment)
              Native.MMAP.invokeExact(
                  capture,
                  MemorySegment.NULL,
                  size,
                  PROT_READ_WRITE,
                  MAP_SHARED_POPULATE,
                  fd,
                  offset);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    if (address.address() == -1L) {
      throw new LinuxException(Native.errno(capture), what);
    }
    return address.reinterpret(size);
  }

  private static void munmap(MemorySegment region) {
    try {
      int unused = (int) Native.MUNMAP.invokeExact(Native.capture(), region, region.byteSize());
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }
}
