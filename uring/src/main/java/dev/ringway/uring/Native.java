package dev.ringway.uring;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc functions this module calls, bound once. Every binding that can fail captures {@code
 * errno}; the capture buffer is per thread so calls from different threads never see each other's
 * errno, and a thread reuses its buffer so calls allocate nothing.
 */
final class Native {
  private Native() {}

  static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

  private static final ThreadLocal<MemorySegment> CAPTURE =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

  // Syscall numbers shared by x86_64 and aarch64 (the io_uring calls came after the tables merged).
  static final long SYS_IO_URING_SETUP = 425;
  static final long SYS_IO_URING_ENTER = 426;
  static final long SYS_IO_URING_REGISTER = 427;

  /** {@code long syscall(long number, ...)}: variadic, so every argument is passed as a long. */
  static final MethodHandle SYSCALL =
      downcall(
          "syscall",
          FunctionDescriptor.of(
              JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
              JAVA_LONG),
          Linker.Option.firstVariadicArg(1),
          CAPTURE_ERRNO);

  static final MethodHandle MMAP =
      downcall(
          "mmap",
          FunctionDescriptor.of(
              ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
          CAPTURE_ERRNO);
  static final MethodHandle MUNMAP =
      downcall("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
  static final MethodHandle CLOSE =
      downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
  static final MethodHandle READ =
      downcall(
          "read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
  static final MethodHandle WRITE =
      downcall(
          "write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
  static final MethodHandle OPEN =
      downcall(
          "open",
          FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
          Linker.Option.firstVariadicArg(2),
          CAPTURE_ERRNO);
  static final MethodHandle FCNTL =
      downcall(
          "fcntl",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
          Linker.Option.firstVariadicArg(2),
          CAPTURE_ERRNO);
  static final MethodHandle IOCTL =
      downcall(
          "ioctl",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
          Linker.Option.firstVariadicArg(2),
          CAPTURE_ERRNO);
  static final MethodHandle PIPE2 =
      downcall("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
  static final MethodHandle EVENTFD =
      downcall("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
  static final MethodHandle SETNS =
      downcall("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
  static final MethodHandle UNAME =
      downcall("uname", FunctionDescriptor.of(JAVA_INT, ADDRESS), CAPTURE_ERRNO);
  static final MethodHandle SOCKET =
      downcall(
          "socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
  static final MethodHandle BIND =
      downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
  static final MethodHandle CONNECT =
      downcall(
          "connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
  static final MethodHandle LISTEN =
      downcall("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
  static final MethodHandle GETSOCKNAME =
      downcall(
          "getsockname",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS),
          CAPTURE_ERRNO);
  static final MethodHandle GETPEERNAME =
      downcall(
          "getpeername",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS),
          CAPTURE_ERRNO);
  static final MethodHandle POLL =
      downcall(
          "poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
  static final MethodHandle SETSOCKOPT =
      downcall(
          "setsockopt",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT),
          CAPTURE_ERRNO);
  static final MethodHandle GETSOCKOPT =
      downcall(
          "getsockopt",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS),
          CAPTURE_ERRNO);
  private static final MethodHandle STRERROR =
      downcall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

  // Binding libc is this class's purpose; each descriptor matches the function's C prototype.
  @SuppressWarnings("restricted")
  private static MethodHandle downcall(
      String name, FunctionDescriptor descriptor, Linker.Option... options) {
    MemorySegment symbol =
        LINKER
            .defaultLookup()
            .find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    return LINKER.downcallHandle(symbol, descriptor, options);
  }

  /** This thread's errno capture buffer, to pass as the first argument of a capturing call. */
  static MemorySegment capture() {
    return CAPTURE.get();
  }

  /** A capture buffer of its own, for a caller that keeps one per thread itself. */
  static MemorySegment newCapture(Arena arena) {
    return arena.allocate(CAPTURE_LAYOUT);
  }

  /** The errno the last capturing call on this thread left in {@code capture}. */
  static int errno(MemorySegment capture) {
    return (int) ERRNO.get(capture, 0L);
  }

  /** Throws a {@link LinuxException} for {@code operation} when {@code result} is negative. */
  static long check(long result, MemorySegment capture, String operation) throws LinuxException {
    if (result < 0) {
      throw new LinuxException(errno(capture), operation);
    }
    return result;
  }

  // strerror returns a NUL-terminated string in static storage; no message comes near 1 KiB.
  @SuppressWarnings("restricted")
  static String strerror(int errno) {
    try {
      MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
      return text.reinterpret(1024).getString(0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * Turns a throwable from {@code invokeExact} into something to throw. Downcalls only throw what
   * the JVM throws (errors and runtime exceptions), so anything else means a binding is wrong.
   */
  static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException e) {
      return e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException("unexpected checked exception from a downcall", t);
  }
}
