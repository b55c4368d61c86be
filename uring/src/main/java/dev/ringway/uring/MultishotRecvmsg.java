package dev.ringway.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * Reads a buffer filled by a multishot recvmsg. Each such buffer starts with {@code struct
 * io_uring_recvmsg_out}, then the name area and the control area sized by the template {@link
 * Msghdr} the request was armed with ({@link Msghdr#armMultishotTemplate}), then the payload.
 * Methods take the group's memory ({@link BufferRing#buffers()}) and the buffer's offset in it.
 */
public final class MultishotRecvmsg {
  private MultishotRecvmsg() {}

  private static final long HEADER = Layouts.RECVMSG_OUT.byteSize();
  private static final long NAMELEN = Layouts.offset(Layouts.RECVMSG_OUT, "namelen");
  private static final long CONTROLLEN = Layouts.offset(Layouts.RECVMSG_OUT, "controllen");
  private static final long PAYLOADLEN = Layouts.offset(Layouts.RECVMSG_OUT, "payloadlen");
  private static final long FLAGS = Layouts.offset(Layouts.RECVMSG_OUT, "flags");

  /** Where the payload starts, relative to the buffer, for requests armed with {@code template}. */
  public static long payloadOffset(Msghdr template) {
    return HEADER + template.nameLength() + template.control().byteSize();
  }

  /** Payload bytes received (the datagram may have been longer: see {@link #flags}). */
  public static int payloadLength(MemorySegment memory, long buffer) {
    return memory.get(JAVA_INT, buffer + PAYLOADLEN);
  }

  /** The {@code msg_flags} of the datagram ({@code MSG_TRUNC} when the payload was cut). */
  public static int flags(MemorySegment memory, long buffer) {
    return memory.get(JAVA_INT, buffer + FLAGS);
  }

  /** The peer's sockaddr length as the kernel reported it. */
  public static int nameLength(MemorySegment memory, long buffer) {
    return memory.get(JAVA_INT, buffer + NAMELEN);
  }

  /** The peer's port. */
  public static int peerPort(MemorySegment memory, long buffer) {
    return memory.get(SockAddr.NET_SHORT, buffer + HEADER + 2) & 0xffff;
  }

  /** The peer's address (allocates). */
  public static InetSocketAddress peer(MemorySegment memory, long buffer) {
    return SockAddr.read(memory.asSlice(buffer + HEADER));
  }

  /**
   * The local destination address from {@code IP_PKTINFO} as a big-endian int, or 0 when the
   * datagram carried none.
   */
  public static int pktinfoDestination(MemorySegment memory, long buffer, Msghdr template) {
    long cmsgs = buffer + HEADER + template.nameLength();
    long at = Msghdr.findPktinfo(memory, cmsgs, memory.get(JAVA_INT, buffer + CONTROLLEN));
    return at < 0 ? 0 : memory.get(SockAddr.NET_INT, at + 8);
  }
}
