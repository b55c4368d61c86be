package dev.ringway.loop.uring;

import dev.ringway.uring.Msghdr;
import dev.ringway.uring.SockAddr;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The {@link InetSocketAddress} a datagram came from, without allocating one per datagram: IPv4
 * peers are keyed by address and port as one primitive long, and the object made for a peer the
 * first time is returned every time after. The table is bounded (a flood of spoofed sources only
 * makes it start over). Loop thread only.
 */
final class SenderAddresses {
  private static final int CAPACITY = 1 << 15;
  private static final int LIMIT = CAPACITY / 2;
  private static final long EMPTY = -1L;

  private final long[] keys = new long[CAPACITY];
  private final InetSocketAddress[] values = new InetSocketAddress[CAPACITY];
  private int size;

  SenderAddresses() {
    java.util.Arrays.fill(keys, EMPTY);
  }

  /** The sender of the datagram just received into {@code from}. */
  InetSocketAddress senderOf(Msghdr from) {
    MemorySegment name = from.name();
    if (SockAddr.family(name) != SockAddr.AF_INET) {
      return from.peer();
    }
    int ip = SockAddr.ipv4(name);
    int port = SockAddr.port(name);
    long key = ((ip & 0xffff_ffffL) << 16) | port;
    int mask = CAPACITY - 1;
    int i = Long.hashCode(key * 0x9E3779B97F4A7C15L) & mask;
    while (keys[i] != EMPTY) {
      if (keys[i] == key) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
    if (size == LIMIT) {
      java.util.Arrays.fill(keys, EMPTY);
      java.util.Arrays.fill(values, null);
      size = 0;
      return senderOf(from);
    }
    InetSocketAddress address = new InetSocketAddress(ipv4(ip), port);
    keys[i] = key;
    values[i] = address;
    size++;
    return address;
  }

  private static Inet4Address ipv4(int ip) {
    byte[] bytes = {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
    try {
      return (Inet4Address) InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError("four bytes are always an IPv4 address", e);
    }
  }
}
