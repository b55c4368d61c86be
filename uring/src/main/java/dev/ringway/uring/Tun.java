package dev.ringway.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A TUN device ({@code IFF_TUN | IFF_NO_PI}: each read or write is one bare IP packet), configured
 * through ioctls on an {@code AF_INET} datagram socket, without running {@code ip}. Needs {@code
 * CAP_NET_ADMIN} in the device's network namespace, which is the calling thread's.
 */
public final class Tun implements AutoCloseable {
  private static final long TUNSETIFF = 0x400454caL;
  private static final long SIOCGIFFLAGS = 0x8913;
  private static final long SIOCSIFFLAGS = 0x8914;
  private static final long SIOCSIFADDR = 0x8916;
  private static final long SIOCSIFNETMASK = 0x891c;
  private static final long SIOCGIFMTU = 0x8921;
  private static final long SIOCSIFMTU = 0x8922;
  private static final long SIOCGIFINDEX = 0x8933;
  private static final short IFF_TUN = 0x0001;
  private static final short IFF_NO_PI = 0x1000;
  private static final short IFF_UP = 0x1;
  private static final int IFNAMSIZ = 16;
  private static final long IFRU = IFNAMSIZ;

  private final int fd;
  private final String name;
  private boolean closed;

  private Tun(int fd, String name) {
    this.fd = fd;
    this.name = name;
  }

  /**
   * Creates (or attaches to) TUN device {@code name}; an empty name lets the kernel pick {@code
   * tunN}. {@code nonBlocking} sets {@code O_NONBLOCK} on the fd.
   */
  public static Tun open(String name, boolean nonBlocking) throws LinuxException {
    if (name.getBytes(StandardCharsets.US_ASCII).length >= IFNAMSIZ) {
      throw new IllegalArgumentException("interface name longer than 15 bytes: " + name);
    }
    int flags = LinuxFiles.O_RDWR | LinuxFiles.O_CLOEXEC;
    int fd =
        LinuxFiles.open(
            Path.of("/dev/net/tun"), nonBlocking ? flags | LinuxFiles.O_NONBLOCK : flags);
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment ifreq = ifreq(scratch, name);
      ifreq.set(JAVA_SHORT, IFRU, (short) (IFF_TUN | IFF_NO_PI));
      ioctl(fd, TUNSETIFF, ifreq, "ioctl TUNSETIFF " + name);
      return new Tun(fd, ifreq.getString(0, StandardCharsets.US_ASCII));
    } catch (LinuxException | RuntimeException e) {
      LinuxFiles.close(fd);
      throw e;
    }
  }

  public int fd() {
    return fd;
  }

  /** The interface name the kernel gave the device. */
  public String name() {
    return name;
  }

  /** Sets address, prefix and MTU, and brings the interface up. */
  public void configure(Inet4Address address, int prefixLength, int mtu) throws LinuxException {
    setAddress(address, prefixLength);
    setMtu(mtu);
    setUp(true);
  }

  /**
   * Sets the interface's IPv4 address and netmask ({@code SIOCSIFADDR}, {@code SIOCSIFNETMASK}).
   */
  public void setAddress(Inet4Address address, int prefixLength) throws LinuxException {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("prefix length must be 0..32, got " + prefixLength);
    }
    int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    byte[] ip = address.getAddress();
    int addressBits =
        ((ip[0] & 0xff) << 24) | ((ip[1] & 0xff) << 16) | ((ip[2] & 0xff) << 8) | (ip[3] & 0xff);
    interfaceIoctl(SIOCSIFADDR, ifreq -> sockaddrIn(ifreq, addressBits), "SIOCSIFADDR");
    interfaceIoctl(SIOCSIFNETMASK, ifreq -> sockaddrIn(ifreq, mask), "SIOCSIFNETMASK");
  }

  /** Sets the MTU ({@code SIOCSIFMTU}). */
  public void setMtu(int mtu) throws LinuxException {
    interfaceIoctl(SIOCSIFMTU, ifreq -> ifreq.set(JAVA_INT, IFRU, mtu), "SIOCSIFMTU");
  }

  /** The MTU ({@code SIOCGIFMTU}). */
  public int mtu() throws LinuxException {
    return interfaceIoctl(SIOCGIFMTU, ifreq -> {}, "SIOCGIFMTU");
  }

  /** The interface index ({@code SIOCGIFINDEX}). */
  public int index() throws LinuxException {
    return interfaceIoctl(SIOCGIFINDEX, ifreq -> {}, "SIOCGIFINDEX");
  }

  /** Brings the interface up or down, keeping its other flags ({@code SIOCSIFFLAGS}). */
  public void setUp(boolean up) throws LinuxException {
    short flags = (short) interfaceIoctl(SIOCGIFFLAGS, ifreq -> {}, "SIOCGIFFLAGS");
    short wanted = (short) (up ? flags | IFF_UP : flags & ~IFF_UP);
    interfaceIoctl(SIOCSIFFLAGS, ifreq -> ifreq.set(JAVA_SHORT, IFRU, wanted), "SIOCSIFFLAGS");
  }

  /** Whether the interface is up. */
  public boolean isUp() throws LinuxException {
    return (interfaceIoctl(SIOCGIFFLAGS, ifreq -> {}, "SIOCGIFFLAGS") & IFF_UP) != 0;
  }

  /** Switches the fd between blocking and non-blocking reads. */
  public void setNonBlocking(boolean nonBlocking) throws LinuxException {
    LinuxFiles.setNonBlocking(fd, nonBlocking);
  }

  @Override
  public void close() throws LinuxException {
    if (!closed) {
      closed = true;
      LinuxFiles.close(fd);
    }
  }

  private interface Fill {
    void into(MemorySegment ifreq);
  }

  /**
   * Runs one interface ioctl on a throwaway AF_INET socket and returns the first int of the ifreq's
   * union, where the getters find their answer (flags in its low 16 bits).
   */
  private int interfaceIoctl(long request, Fill fill, String what) throws LinuxException {
    int socket =
        LinuxSockets.socket(
            SockAddr.AF_INET, LinuxSockets.SOCK_DGRAM | LinuxSockets.SOCK_CLOEXEC, 0);
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment ifreq = ifreq(scratch, name);
      fill.into(ifreq);
      ioctl(socket, request, ifreq, "ioctl " + what + " " + name);
      return ifreq.get(JAVA_INT, IFRU);
    } finally {
      LinuxFiles.close(socket);
    }
  }

  private static MemorySegment ifreq(Arena arena, String name) {
    MemorySegment ifreq = arena.allocate(Layouts.IFREQ);
    byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
    MemorySegment.copy(bytes, 0, ifreq, JAVA_BYTE, 0, bytes.length);
    return ifreq;
  }

  private static void sockaddrIn(MemorySegment ifreq, int ipv4) {
    ifreq.set(JAVA_SHORT, IFRU, (short) SockAddr.AF_INET);
    ifreq.set(SockAddr.NET_INT, IFRU + 4, ipv4);
  }

  private static void ioctl(int fd, long request, MemorySegment arg, String what)
      throws LinuxException {
    MemorySegment capture = Native.capture();
    int result;
    try {
      result = (int) Native.IOCTL.invokeExact(capture, fd, request, arg);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    Native.check(result, capture, what);
  }
}
