package dev.ringway.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/** {@code sockaddr_in} and {@code sockaddr_in6} in native memory. */
public final class SockAddr {
  private SockAddr() {}

  public static final int AF_INET = 2;
  public static final int AF_INET6 = 10;

  /** {@code sizeof(struct sockaddr_in)}. */
  public static final int IN_SIZE = 16;

  /** {@code sizeof(struct sockaddr_in6)}. */
  public static final int IN6_SIZE = 28;

  /** {@code sizeof(struct sockaddr_storage)}: room for any address. */
  public static final int STORAGE_SIZE = 128;

  static final ValueLayout.OfShort NET_SHORT =
      JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN).withByteAlignment(1);
  static final ValueLayout.OfInt NET_INT =
      JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN).withByteAlignment(1);
  private static final ValueLayout.OfShort HOST_SHORT = JAVA_SHORT.withByteAlignment(1);

  /** Writes {@code address} at the start of {@code dst} and returns the sockaddr's length. */
  public static int write(MemorySegment dst, InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    if (ip == null) {
      throw new IllegalArgumentException("unresolved address " + address);
    }
    byte[] bytes = ip.getAddress();
    if (ip instanceof Inet4Address) {
      dst.asSlice(0, IN_SIZE).fill((byte) 0);
      dst.set(HOST_SHORT, 0, (short) AF_INET);
      dst.set(NET_SHORT, 2, (short) address.getPort());
      MemorySegment.copy(bytes, 0, dst, JAVA_BYTE, 4, 4);
      return IN_SIZE;
    }
    dst.asSlice(0, IN6_SIZE).fill((byte) 0);
    dst.set(HOST_SHORT, 0, (short) AF_INET6);
    dst.set(NET_SHORT, 2, (short) address.getPort());
    MemorySegment.copy(bytes, 0, dst, JAVA_BYTE, 8, 16);
    if (ip instanceof Inet6Address v6 && v6.getScopeId() != 0) {
      dst.set(JAVA_INT.withByteAlignment(1), 24, v6.getScopeId());
    }
    return IN6_SIZE;
  }

  /** Reads the IPv4 or IPv6 socket address at the start of {@code src}. */
  public static InetSocketAddress read(MemorySegment src) {
    int family = src.get(HOST_SHORT, 0);
    int port = port(src);
    try {
      return switch (family) {
        case AF_INET ->
            new InetSocketAddress(
                InetAddress.getByAddress(src.asSlice(4, 4).toArray(JAVA_BYTE)), port);
        case AF_INET6 ->
            new InetSocketAddress(
                InetAddress.getByAddress(src.asSlice(8, 16).toArray(JAVA_BYTE)), port);
        default -> throw new IllegalArgumentException("not an IP socket address: family " + family);
      };
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The address family at the start of {@code src}. */
  public static int family(MemorySegment src) {
    return src.get(HOST_SHORT, 0);
  }

  /** The port of the socket address at the start of {@code src} (allocation-free). */
  public static int port(MemorySegment src) {
    return src.get(NET_SHORT, 2) & 0xffff;
  }

  /** The IPv4 address of a {@code sockaddr_in} as a big-endian int (allocation-free). */
  public static int ipv4(MemorySegment src) {
    return src.get(NET_INT, 4);
  }
}
