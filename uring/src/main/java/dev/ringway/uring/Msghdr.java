package dev.ringway.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;

/**
 * A {@code struct msghdr} that owns its iovec, its name (a sockaddr of {@link
 * SockAddr#STORAGE_SIZE} bytes) and its control buffer, in one native block. A slot keeps one and
 * re-arms it per datagram without allocating: {@link #armReceive} before a recvmsg, {@link
 * #armSend} before a sendmsg. While a request uses it, it belongs to the kernel (see the
 * memory-safety rule on {@link Ring}).
 *
 * <p>For UDP servers it reads and writes {@code IP_PKTINFO}: which local address a datagram was
 * sent to, so the reply leaves from that same address.
 */
public final class Msghdr {
  static final int IPPROTO_IP = 0;
  static final int IP_PKTINFO = 8;
  private static final long CMSG_HEADER = 16;
  // Layouts are values: made once here, since withByteAlignment allocates a new one per call.
  private static final ValueLayout.OfLong LONG_UNALIGNED = JAVA_LONG.withByteAlignment(1);
  private static final ValueLayout.OfInt INT_UNALIGNED = JAVA_INT.withByteAlignment(1);
  private static final long PKTINFO_SIZE = 12;
  private static final long PKTINFO_SPACE = CMSG_HEADER + align(PKTINFO_SIZE);

  private static final long HDR_SIZE = Layouts.MSGHDR.byteSize();
  private static final long NAMELEN = Layouts.offset(Layouts.MSGHDR, "msg_namelen");
  private static final long IOV = Layouts.offset(Layouts.MSGHDR, "msg_iov");
  private static final long IOVLEN = Layouts.offset(Layouts.MSGHDR, "msg_iovlen");
  private static final long CONTROLLEN = Layouts.offset(Layouts.MSGHDR, "msg_controllen");
  private static final long FLAGS = Layouts.offset(Layouts.MSGHDR, "msg_flags");
  private static final long IOVEC_OFFSET = HDR_SIZE;
  private static final long NAME_OFFSET = IOVEC_OFFSET + Layouts.IOVEC.byteSize();
  private static final long CONTROL_OFFSET = NAME_OFFSET + SockAddr.STORAGE_SIZE;

  private final MemorySegment block;
  private final MemorySegment name;
  private final MemorySegment control;
  private final int controlCapacity;

  private Msghdr(MemorySegment block, int controlCapacity) {
    this.block = block;
    this.controlCapacity = controlCapacity;
    this.name = block.asSlice(NAME_OFFSET, SockAddr.STORAGE_SIZE);
    this.control = block.asSlice(CONTROL_OFFSET, controlCapacity);
    block.set(JAVA_LONG, 0, name.address());
    block.set(JAVA_LONG, IOV, block.address() + IOVEC_OFFSET);
    block.set(JAVA_LONG, Layouts.offset(Layouts.MSGHDR, "msg_control"), control.address());
  }

  /**
   * A message header in {@code arena} with room for {@code controlCapacity} bytes of control
   * messages ({@link #PKTINFO_CONTROL} fits one {@code IP_PKTINFO}).
   */
  public static Msghdr allocate(Arena arena, int controlCapacity) {
    MemorySegment block = arena.allocate(CONTROL_OFFSET + controlCapacity, Long.BYTES);
    return new Msghdr(block, controlCapacity);
  }

  /** Control space for one {@code IP_PKTINFO} message. */
  public static final int PKTINFO_CONTROL = (int) PKTINFO_SPACE;

  /** The {@code struct msghdr} itself, for debugging or other calls. */
  public MemorySegment segment() {
    return block.asSlice(0, HDR_SIZE);
  }

  long kernelAddress() {
    return Ring.address(block, block.byteSize());
  }

  /** The name buffer: the peer a datagram came from, or goes to. */
  public MemorySegment name() {
    return name;
  }

  /** The control buffer. */
  public MemorySegment control() {
    return control;
  }

  /** Prepares to receive into {@code length} bytes of {@code buffer}, with name and control. */
  public void armReceive(MemorySegment buffer, int length) {
    setIov(buffer, length);
    block.set(JAVA_INT, NAMELEN, SockAddr.STORAGE_SIZE);
    block.set(JAVA_LONG, CONTROLLEN, controlCapacity);
    block.set(JAVA_INT, FLAGS, 0);
  }

  /**
   * Prepares a template for multishot recvmsg: no iovec (the kernel picks buffers from a group),
   * {@code nameSize} bytes reserved for the peer and the whole control capacity for cmsgs.
   */
  public void armMultishotTemplate(int nameSize) {
    block.set(JAVA_LONG, IOVLEN, 0);
    block.set(JAVA_INT, NAMELEN, nameSize);
    block.set(JAVA_LONG, CONTROLLEN, controlCapacity);
    block.set(JAVA_INT, FLAGS, 0);
  }

  /**
   * Prepares to send {@code length} bytes of {@code buffer} to the peer in {@link #name()} (set by
   * {@link #setPeer} or {@link #copyPeerFrom}), with the control messages set since the last {@link
   * #clearControl()}.
   */
  public void armSend(MemorySegment buffer, int length) {
    setIov(buffer, length);
    block.set(JAVA_INT, FLAGS, 0);
  }

  private void setIov(MemorySegment buffer, int length) {
    block.set(JAVA_LONG, IOVEC_OFFSET, Ring.address(buffer, length));
    block.set(JAVA_LONG, IOVEC_OFFSET + Long.BYTES, length);
    block.set(JAVA_LONG, IOVLEN, 1);
  }

  /** Sets the destination of the next send; not for the hot path (it allocates). */
  public void setPeer(InetSocketAddress peer) {
    block.set(JAVA_INT, NAMELEN, SockAddr.write(name, peer));
  }

  /** Sets the destination to the peer {@code received} came from, without allocating. */
  public void copyPeerFrom(Msghdr received) {
    int length = received.nameLength();
    MemorySegment.copy(received.name, 0, name, 0, length);
    block.set(JAVA_INT, NAMELEN, length);
  }

  /** The length of the name the kernel filled in (after a receive). */
  public int nameLength() {
    return block.get(JAVA_INT, NAMELEN);
  }

  /** The peer a datagram came from (allocates). */
  public InetSocketAddress peer() {
    return SockAddr.read(name);
  }

  /** The {@code msg_flags} the kernel returned ({@code MSG_TRUNC}, {@code MSG_CTRUNC} …). */
  public int flags() {
    return block.get(JAVA_INT, FLAGS);
  }

  /** Sends without control messages until one is set again. */
  public void clearControl() {
    block.set(JAVA_LONG, CONTROLLEN, 0);
  }

  /**
   * Makes the next send leave from local address {@code sourceIpv4} (big-endian int) through
   * interface {@code ifindex} (0 lets routing choose), as an {@code IP_PKTINFO} control message.
   */
  public void setSourcePktinfo(int ifindex, int sourceIpv4) {
    if (controlCapacity < PKTINFO_SPACE) {
      throw new IllegalStateException("no control space for IP_PKTINFO");
    }
    control.set(JAVA_LONG, 0, CMSG_HEADER + PKTINFO_SIZE);
    control.set(JAVA_INT, 8, IPPROTO_IP);
    control.set(JAVA_INT, 12, IP_PKTINFO);
    control.set(JAVA_INT, CMSG_HEADER, ifindex);
    control.set(SockAddr.NET_INT, CMSG_HEADER + 4, sourceIpv4);
    control.set(JAVA_INT, CMSG_HEADER + 8, 0);
    block.set(JAVA_LONG, CONTROLLEN, PKTINFO_SPACE);
  }

  /**
   * The local address a received datagram was sent to ({@code ipi_addr} of {@code IP_PKTINFO}, a
   * big-endian int), or 0 when the message carried none.
   */
  public int pktinfoDestination() {
    long at = findPktinfo(control, 0, block.get(JAVA_LONG, CONTROLLEN));
    return at < 0 ? 0 : control.get(SockAddr.NET_INT, at + 8);
  }

  /** The interface a datagram arrived on, from {@code IP_PKTINFO}, or 0 when none. */
  public int pktinfoInterface() {
    long at = findPktinfo(control, 0, block.get(JAVA_LONG, CONTROLLEN));
    return at < 0 ? 0 : control.get(JAVA_INT, at);
  }

  /**
   * The offset of the {@code in_pktinfo} payload among {@code length} bytes of cmsgs starting at
   * {@code base}, or -1.
   */
  static long findPktinfo(MemorySegment cmsgs, long base, long length) {
    long end = base + length;
    long at = base;
    while (at + CMSG_HEADER <= end) {
      long cmsgLength = cmsgs.get(LONG_UNALIGNED, at);
      if (cmsgLength < CMSG_HEADER) {
        return -1;
      }
      int level = cmsgs.get(INT_UNALIGNED, at + 8);
      int type = cmsgs.get(INT_UNALIGNED, at + 12);
      if (level == IPPROTO_IP && type == IP_PKTINFO && at + CMSG_HEADER + PKTINFO_SIZE <= end) {
        return at + CMSG_HEADER;
      }
      at += align(cmsgLength);
    }
    return -1;
  }

  private static long align(long length) {
    return (length + Long.BYTES - 1) & -Long.BYTES;
  }
}
