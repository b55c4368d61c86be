package dev.ringway.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/** File-descriptor calls: open, close, pipes, blocking mode, plain read/write and namespaces. */
public final class LinuxFiles {
  private LinuxFiles() {}

  public static final int O_RDONLY = 0;
  public static final int O_RDWR = 2;
  public static final int O_NONBLOCK = 0x800;
  public static final int O_CLOEXEC = 0x80000;
  public static final int CLONE_NEWNET = 0x40000000;
  private static final int F_GETFL = 3;
  private static final int F_SETFL = 4;

  /** {@code open(path, flags)}; returns the fd. */
  public static int open(Path path, int flags) throws LinuxException {
    MemorySegment capture = Native.capture();
    try (Arena scratch = Arena.ofConfined()) {
      int fd =
          (int) Native.OPEN.invokeExact(capture, scratch.allocateFrom(path.toString()), flags, 0);
      return (int) Native.check(fd, capture, "open " + path);
    } catch (LinuxException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public static void close(int fd) throws LinuxException {
    MemorySegment capture = Native.capture();
    int result;
    try {
      result = (int) Native.CLOSE.invokeExact(capture, fd);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    Native.check(result, capture, "close " + fd);
  }

  /** {@code pipe2(flags)}: returns {@code [readEnd, writeEnd]}. */
  public static int[] pipe(int flags) throws LinuxException {
    MemorySegment capture = Native.capture();
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment fds = scratch.allocate(JAVA_INT, 2);
      int result = (int) Native.PIPE2.invokeExact(capture, fds, flags);
      Native.check(result, capture, "pipe2");
      return fds.toArray(JAVA_INT);
    } catch (LinuxException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** Sets or clears {@code O_NONBLOCK} on {@code fd}. */
  public static void setNonBlocking(int fd, boolean nonBlocking) throws LinuxException {
    int flags = fcntl(fd, F_GETFL, 0, "fcntl F_GETFL");
    int wanted = nonBlocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
    if (wanted != flags) {
      fcntl(fd, F_SETFL, wanted, "fcntl F_SETFL");
    }
  }

  /** Whether {@code O_NONBLOCK} is set on {@code fd}. */
  public static boolean isNonBlocking(int fd) throws LinuxException {
    return (fcntl(fd, F_GETFL, 0, "fcntl F_GETFL") & O_NONBLOCK) != 0;
  }

  private static int fcntl(int fd, int command, int arg, String what) throws LinuxException {
    MemorySegment capture = Native.capture();
    int result;
    try {
      result = (int) Native.FCNTL.invokeExact(capture, fd, command, arg);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    return (int) Native.check(result, capture, what);
  }

  /** A plain {@code read(fd, buffer, length)} outside the ring; returns the byte count. */
  public static int read(int fd, MemorySegment buffer, int length) throws LinuxException {
    MemorySegment capture = Native.capture();
    long result;
    try {
      result = (long) Native.READ.invokeExact(capture, fd, buffer, (long) length);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    return (int) Native.check(result, capture, "read");
  }

  /** A plain {@code write(fd, buffer, length)} outside the ring; returns the byte count. */
  public static int write(int fd, MemorySegment buffer, int length) throws LinuxException {
    MemorySegment capture = Native.capture();
    long result;
    try {
      result = (long) Native.WRITE.invokeExact(capture, fd, buffer, (long) length);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    return (int) Native.check(result, capture, "write");
  }

  /**
   * Moves the calling thread into the network namespace {@code ip netns} knows as {@code name}
   * (through {@code /var/run/netns/NAME}). Sockets and TUN devices the thread creates afterwards
   * live there; a ring's io-wq workers follow the thread that created them. Call it on a platform
   * thread: a virtual thread would leave the namespace on its carrier.
   */
  public static void enterNetworkNamespace(String name) throws LinuxException {
    int fd = open(Path.of("/var/run/netns", name), O_RDONLY | O_CLOEXEC);
    try {
      setns(fd, CLONE_NEWNET);
    } finally {
      close(fd);
    }
  }

  /** {@code setns(fd, nstype)} for the calling thread. */
  public static void setns(int fd, int nstype) throws LinuxException {
    MemorySegment capture = Native.capture();
    int result;
    try {
      result = (int) Native.SETNS.invokeExact(capture, fd, nstype);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    Native.check(result, capture, "setns");
  }

  /** The running kernel's release, as {@code uname -r} prints it. */
  public static String kernelRelease() throws LinuxException {
    MemorySegment capture = Native.capture();
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment utsname = scratch.allocate(6 * 65);
      int result = (int) Native.UNAME.invokeExact(capture, utsname);
      Native.check(result, capture, "uname");
      return utsname.getString(2 * 65);
    } catch (LinuxException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }
}
