package dev.ringway.loop;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.ringway.uring.SockAddr;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;

/**
 * {@code getpeername} for accepted sockets. A multishot accept reports only the new fd (one shared
 * address buffer would be overwritten by the next connection before we read it), so the listener
 * asks the socket instead. It belongs beside {@code LinuxSockets.localAddress} in {@code uring}; it
 * lives here until that module grows it.
 */
final class PeerName {
  private static final MethodHandle GETPEERNAME = bind();

  private PeerName() {}

  // One libc call with its C prototype: int getpeername(int, struct sockaddr *, socklen_t *).
  @SuppressWarnings("restricted")
  private static MethodHandle bind() {
    Linker linker = Linker.nativeLinker();
    MemorySegment symbol =
        linker
            .defaultLookup()
            .find("getpeername")
            .orElseThrow(() -> new UnsatisfiedLinkError("libc has no getpeername"));
    return linker.downcallHandle(
        symbol, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
  }

  /** The address of the peer connected to {@code fd}, or null when it has none (already gone). */
  static InetSocketAddress of(int fd) {
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment sockaddr = scratch.allocate(SockAddr.STORAGE_SIZE);
      MemorySegment length = scratch.allocateFrom(JAVA_INT, SockAddr.STORAGE_SIZE);
      int result = (int) GETPEERNAME.invokeExact(fd, sockaddr, length);
      return result == 0 ? SockAddr.read(sockaddr) : null;
    } catch (Throwable t) {
      throw new IllegalStateException("getpeername failed", t);
    }
  }
}
