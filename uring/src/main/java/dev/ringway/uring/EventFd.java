package dev.ringway.uring;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * An eventfd: how other threads wake the loop. The loop keeps an 8-byte read armed on the ring; any
 * thread may {@link #signal()}.
 */
public final class EventFd implements AutoCloseable {
  public static final int EFD_SEMAPHORE = 1;
  public static final int EFD_NONBLOCK = 0x800;
  public static final int EFD_CLOEXEC = 0x80000;

  private static final MemorySegment ONE = Arena.global().allocateFrom(JAVA_LONG, 1L);

  private final int fd;
  private boolean closed;

  private EventFd(int fd) {
    this.fd = fd;
  }

  /** A new eventfd with counter 0 and {@code flags} ({@link #EFD_CLOEXEC} is always added). */
  public static EventFd open(int flags) throws LinuxException {
    MemorySegment capture = Native.capture();
    int fd;
    try {
      fd = (int) Native.EVENTFD.invokeExact(capture, 0, flags | EFD_CLOEXEC);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    return new EventFd((int) Native.check(fd, capture, "eventfd"));
  }

  public int fd() {
    return fd;
  }

  /** Adds one to the counter, waking a pending read. Safe from any thread; allocates nothing. */
  public void signal() throws LinuxException {
    LinuxFiles.write(fd, ONE, Long.BYTES);
  }

  /** Reads and resets the counter (blocking unless opened with {@link #EFD_NONBLOCK}). */
  public long read() throws LinuxException {
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment value = scratch.allocate(JAVA_LONG);
      LinuxFiles.read(fd, value, Long.BYTES);
      return value.get(JAVA_LONG, 0);
    }
  }

  @Override
  public void close() throws LinuxException {
    if (!closed) {
      closed = true;
      LinuxFiles.close(fd);
    }
  }
}
