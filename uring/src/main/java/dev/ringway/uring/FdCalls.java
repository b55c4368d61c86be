package dev.ringway.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@code read}, {@code write} and {@code poll} on raw fds for the nio engine's TUN device, which a
 * {@code Selector} cannot watch. Unlike {@link LinuxFiles} they return {@code -errno} instead of
 * throwing: there a would-block read is the normal end of every batch, and an exception (with its
 * stack trace) per batch would be the engine's main cost. One instance per thread: it owns that
 * thread's errno capture buffer and poll array, so calls allocate nothing.
 */
public final class FdCalls {
  static final short POLLIN = 1;
  private static final int POLLFD_BYTES = 8;

  private final MemorySegment capture;
  private final MemorySegment pollfds;

  public FdCalls() {
    Arena arena = Arena.ofAuto();
    this.capture = Native.newCapture(arena);
    this.pollfds = arena.allocate(2L * POLLFD_BYTES, 8);
  }

  /** {@code read(fd, buffer, length)}: the byte count, or {@code -errno}. */
  public int read(int fd, MemorySegment buffer, int length) {
    long result;
    try {
      result = (long) Native.READ.invokeExact(capture, fd, buffer, (long) length);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    return result < 0 ? -Native.errno(capture) : (int) result;
  }

  /** {@code write(fd, buffer, length)}: the byte count, or {@code -errno}. */
  public int write(int fd, MemorySegment buffer, int length) {
    long result;
    try {
      result = (long) Native.WRITE.invokeExact(capture, fd, buffer, (long) length);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    return result < 0 ? -Native.errno(capture) : (int) result;
  }

  /**
   * Waits without a time limit until {@code first} or {@code second} is readable: the number of
   * ready fds, or {@code -errno} ({@code -EINTR} included; callers just poll again).
   */
  public int pollIn(int first, int second) {
    pollfds.set(JAVA_INT, 0, first);
    pollfds.set(JAVA_SHORT, 4, POLLIN);
    pollfds.set(JAVA_SHORT, 6, (short) 0);
    pollfds.set(JAVA_INT, 8, second);
    pollfds.set(JAVA_SHORT, 12, POLLIN);
    pollfds.set(JAVA_SHORT, 14, (short) 0);
    int result;
    try {
      result = (int) Native.POLL.invokeExact(capture, pollfds, 2L, -1);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    return result < 0 ? -Native.errno(capture) : result;
  }
}
