package dev.ringway.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** Socket calls for the setup path: create, bind, listen, connect and socket options. */
public final class LinuxSockets {
  private LinuxSockets() {}

  public static final int SOCK_STREAM = 1;
  public static final int SOCK_DGRAM = 2;
  public static final int SOCK_NONBLOCK = 0x800;
  public static final int SOCK_CLOEXEC = 0x80000;

  public static final int SOL_SOCKET = 1;
  public static final int SO_REUSEADDR = 2;
  public static final int SO_SNDBUF = 7;
  public static final int SO_RCVBUF = 8;
  public static final int SO_REUSEPORT = 15;
  public static final int SO_SNDBUFFORCE = 32;
  public static final int SO_RCVBUFFORCE = 33;
  public static final int IPPROTO_IP = 0;
  public static final int IP_PKTINFO = 8;
  public static final int IPPROTO_TCP = 6;
  public static final int TCP_NODELAY = 1;
  public static final int IPPROTO_UDP = 17;
  public static final int IPPROTO_IPV6 = 41;
  public static final int IPV6_RECVPKTINFO = 49;

  public static final int MSG_DONTWAIT = 0x40;
  public static final int MSG_TRUNC = 0x20;
  public static final int MSG_NOSIGNAL = 0x4000;

  /** {@code socket(domain, type, protocol)}; returns the fd. */
  public static int socket(int domain, int type, int protocol) throws LinuxException {
    MemorySegment capture = Native.capture();
    int fd;
    try {
      fd = (int) Native.SOCKET.invokeExact(capture, domain, type, protocol);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    return (int) Native.check(fd, capture, "socket");
  }

  /** A socket of {@code type} for the family of {@code address}, with close-on-exec. */
  public static int socketFor(InetSocketAddress address, int type) throws LinuxException {
    int family =
        address.getAddress() instanceof Inet6Address ? SockAddr.AF_INET6 : SockAddr.AF_INET;
    return socket(family, type | SOCK_CLOEXEC, 0);
  }

  public static void bind(int fd, InetSocketAddress address) throws LinuxException {
    MemorySegment capture = Native.capture();
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment sockaddr = scratch.allocate(SockAddr.STORAGE_SIZE);
      int length = SockAddr.write(sockaddr, address);
      int result = (int) Native.BIND.invokeExact(capture, fd, sockaddr, length);
      Native.check(result, capture, "bind " + address);
    } catch (LinuxException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** A blocking {@code connect}; the ring has {@link Ring#prepConnect} for the loop. */
  public static void connect(int fd, InetSocketAddress address) throws LinuxException {
    MemorySegment capture = Native.capture();
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment sockaddr = scratch.allocate(SockAddr.STORAGE_SIZE);
      int length = SockAddr.write(sockaddr, address);
      int result = (int) Native.CONNECT.invokeExact(capture, fd, sockaddr, length);
      Native.check(result, capture, "connect " + address);
    } catch (LinuxException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public static void listen(int fd, int backlog) throws LinuxException {
    MemorySegment capture = Native.capture();
    int result;
    try {
      result = (int) Native.LISTEN.invokeExact(capture, fd, backlog);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    Native.check(result, capture, "listen");
  }

  /** The address {@code fd} is bound to ({@code getsockname}). */
  public static InetSocketAddress localAddress(int fd) throws LinuxException {
    MemorySegment capture = Native.capture();
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment sockaddr = scratch.allocate(SockAddr.STORAGE_SIZE);
      MemorySegment length = scratch.allocateFrom(JAVA_INT, SockAddr.STORAGE_SIZE);
      int result = (int) Native.GETSOCKNAME.invokeExact(capture, fd, sockaddr, length);
      Native.check(result, capture, "getsockname");
      return SockAddr.read(sockaddr);
    } catch (LinuxException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /**
   * The address of the peer connected to {@code fd}, or null when it has none (gone already). A
   * multishot accept reports only the new fd (one shared address buffer would be overwritten by the
   * next connection before it is read), so the listener asks the socket instead.
   */
  public static InetSocketAddress peerAddress(int fd) {
    MemorySegment capture = Native.capture();
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment sockaddr = scratch.allocate(SockAddr.STORAGE_SIZE);
      MemorySegment length = scratch.allocateFrom(JAVA_INT, SockAddr.STORAGE_SIZE);
      int result = (int) Native.GETPEERNAME.invokeExact(capture, fd, sockaddr, length);
      return result == 0 ? SockAddr.read(sockaddr) : null;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** {@code setsockopt} with an int value. */
  public static void setOption(int fd, int level, int option, int value) throws LinuxException {
    MemorySegment capture = Native.capture();
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment holder = scratch.allocateFrom(JAVA_INT, value);
      int result =
          (int) Native.SETSOCKOPT.invokeExact(capture, fd, level, option, holder, Integer.BYTES);
      Native.check(result, capture, "setsockopt " + level + "/" + option);
    } catch (LinuxException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** {@code getsockopt} of an int value. */
  public static int option(int fd, int level, int option) throws LinuxException {
    MemorySegment capture = Native.capture();
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment holder = scratch.allocate(JAVA_INT);
      MemorySegment length = scratch.allocateFrom(JAVA_INT, Integer.BYTES);
      int result = (int) Native.GETSOCKOPT.invokeExact(capture, fd, level, option, holder, length);
      Native.check(result, capture, "getsockopt " + level + "/" + option);
      return holder.get(JAVA_INT, 0);
    } catch (LinuxException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }
}
