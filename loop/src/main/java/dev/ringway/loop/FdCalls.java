package dev.ringway.loop;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * {@code read}, {@code write} and {@code poll} on raw fds for the nio engine's TUN device, which a
 * {@code Selector} cannot watch. Unlike {@code LinuxFiles} they return {@code -errno} instead of
 * throwing: there a would-block read is the normal end of every batch, and an exception (with its
 * stack trace) per batch would be the engine's main cost. One instance per thread: it owns that
 * thread's errno capture buffer, so calls allocate nothing.
 */
final class FdCalls {
  static final short POLLIN = 1;
  private static final int POLLFD_BYTES = 8;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
  private static final MethodHandle READ =
      bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
  private static final MethodHandle WRITE =
      bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
  private static final MethodHandle POLL =
      bind("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

  private final MemorySegment capture;
  private final MemorySegment pollfds;

  FdCalls() {
    Arena arena = Arena.ofAuto();
    this.capture = arena.allocate(CAPTURE_LAYOUT);
    this.pollfds = arena.allocate(2L * POLLFD_BYTES, 8);
  }

  @SuppressWarnings("restricted")
  private static MethodHandle bind(String name, FunctionDescriptor descriptor) {
    MemorySegment symbol =
        LINKER
            .defaultLookup()
            .find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    return LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO);
  }

  /** {@code read(fd, buffer, length)}: the byte count, or {@code -errno}. */
  int read(int fd, MemorySegment buffer, int length) {
    long result;
    try {
      result = (long) READ.invokeExact(capture, fd, buffer, (long) length);
    } catch (Throwable t) {
      throw new IllegalStateException("read failed in the linker", t);
    }
    return result < 0 ? -errno() : (int) result;
  }

  /** {@code write(fd, buffer, length)}: the byte count, or {@code -errno}. */
  int write(int fd, MemorySegment buffer, int length) {
    long result;
    try {
      result = (long) WRITE.invokeExact(capture, fd, buffer, (long) length);
    } catch (Throwable t) {
      throw new IllegalStateException("write failed in the linker", t);
    }
    return result < 0 ? -errno() : (int) result;
  }

  /**
   * Waits without a time limit until {@code first} or {@code second} is readable: the number of
   * ready fds, or {@code -errno} ({@code -EINTR} included; callers just poll again).
   */
  int pollIn(int first, int second) {
    pollfds.set(JAVA_INT, 0, first);
    pollfds.set(JAVA_SHORT, 4, POLLIN);
    pollfds.set(JAVA_SHORT, 6, (short) 0);
    pollfds.set(JAVA_INT, 8, second);
    pollfds.set(JAVA_SHORT, 12, POLLIN);
    pollfds.set(JAVA_SHORT, 14, (short) 0);
    int result;
    try {
      result = (int) POLL.invokeExact(capture, pollfds, 2L, -1);
    } catch (Throwable t) {
      throw new IllegalStateException("poll failed in the linker", t);
    }
    return result < 0 ? -errno() : result;
  }

  private int errno() {
    return (int) ERRNO.get(capture, 0L);
  }
}
