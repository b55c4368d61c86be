package dev.ringway.uring;

import java.lang.foreign.MemorySegment;

/**
 * The three io_uring system calls that run outside the hot path, through libc's {@code syscall}.
 */
final class Syscalls {
  private Syscalls() {}

  static final int REGISTER_BUFFERS = 0;
  static final int UNREGISTER_BUFFERS = 1;
  static final int REGISTER_FILES = 2;
  static final int UNREGISTER_FILES = 3;
  static final int REGISTER_FILES_UPDATE = 6;
  static final int REGISTER_PROBE = 8;
  static final int REGISTER_ENABLE_RINGS = 12;
  static final int REGISTER_IOWQ_MAX_WORKERS = 19;
  static final int REGISTER_RING_FDS = 20;
  static final int UNREGISTER_RING_FDS = 21;
  static final int REGISTER_PBUF_RING = 22;
  static final int UNREGISTER_PBUF_RING = 23;
  static final int REGISTER_RESIZE_RINGS = 33;

  static int setup(int entries, MemorySegment params) throws LinuxException {
    MemorySegment capture = Native.capture();
    long result;
    try {
      result =
          (long)
              Native.SYSCALL.invokeExact(
                  capture,
                  Native.SYS_IO_URING_SETUP,
                  (long) entries,
                  params.address(),
                  0L,
                  0L,
                  0L,
                  0L);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    return (int) Native.check(result, capture, "io_uring_setup");
  }

  static int register(int ringFd, int opcode, MemorySegment arg, int count, String what)
      throws LinuxException {
    MemorySegment capture = Native.capture();
    long result;
    try {
      result =
          (long)
              Native.SYSCALL.invokeExact(
                  capture,
                  Native.SYS_IO_URING_REGISTER,
                  (long) ringFd,
                  (long) opcode,
                  arg.address(),
                  (long) count,
                  0L,
                  0L);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    return (int) Native.check(result, capture, "io_uring_register " + what);
  }
}
