package dev.ringway.core.offload;

import java.nio.ByteBuffer;

/**
 * The 10-byte {@code struct virtio_net_hdr} ({@code include/uapi/linux/virtio_net.h}) that a TUN
 * opened with {@code IFF_VNET_HDR} reads before and expects before every packet.
 *
 * <p>The 16-bit fields are little-endian. The TUN uses the host's order for a legacy header unless
 * {@code TUNSETVNETLE}/{@code TUNSETVNETBE} says otherwise; Ringway runs on little-endian hosts
 * (x86-64, aarch64) and leaves both ioctls alone, so little-endian is what the kernel writes and
 * reads. The header size stays the default 10 ({@code TUNSETVNETHDRSZ} not needed).
 *
 * <p>One mutable instance is reused per caller so that reading a header allocates nothing.
 */
public final class VirtioNetHeader {
  /** Bytes of the header before each packet. */
  public static final int LENGTH = 10;

  /** Checksum still to be completed from {@code csumStart}, stored at {@code csumOffset}. */
  public static final int F_NEEDS_CSUM = 1;

  /** The checksum was verified already. */
  public static final int F_DATA_VALID = 2;

  public static final int GSO_NONE = 0;
  public static final int GSO_TCPV4 = 1;

  /** Legacy UDP fragmentation offload (UFO): never enabled by Ringway, refused when seen. */
  public static final int GSO_UDP = 3;

  public static final int GSO_TCPV6 = 4;
  public static final int GSO_UDP_L4 = 5;

  /** Bit or-ed into {@code gsoType}: the first segment carries CWR. */
  public static final int GSO_ECN = 0x80;

  private int flags;
  private int gsoType;
  private int hdrLen;
  private int gsoSize;
  private int csumStart;
  private int csumOffset;

  /**
   * Loads the header at {@code at}; the caller has checked that {@code at + LENGTH} is within the
   * buffer's limit.
   */
  public VirtioNetHeader read(ByteBuffer b, int at) {
    flags = b.get(at) & 0xff;
    gsoType = b.get(at + 1) & 0xff;
    hdrLen = le16(b, at + 2);
    gsoSize = le16(b, at + 4);
    csumStart = le16(b, at + 6);
    csumOffset = le16(b, at + 8);
    return this;
  }

  /** Stores this header at {@code at}. */
  public void write(ByteBuffer b, int at) {
    b.put(at, (byte) flags);
    b.put(at + 1, (byte) gsoType);
    putLe16(b, at + 2, hdrLen);
    putLe16(b, at + 4, gsoSize);
    putLe16(b, at + 6, csumStart);
    putLe16(b, at + 8, csumOffset);
  }

  /** Sets every field; values are truncated to the field widths (8 or 16 bits). */
  public VirtioNetHeader set(
      int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
    this.flags = flags & 0xff;
    this.gsoType = gsoType & 0xff;
    this.hdrLen = hdrLen & 0xffff;
    this.gsoSize = gsoSize & 0xffff;
    this.csumStart = csumStart & 0xffff;
    this.csumOffset = csumOffset & 0xffff;
    return this;
  }

  /** Writes the header of a plain packet: no GSO, checksum complete (all ten bytes zero). */
  public static void writeNone(ByteBuffer b, int at) {
    b.putLong(at, 0L);
    b.putShort(at + 8, (short) 0);
  }

  public int flags() {
    return flags;
  }

  public boolean needsChecksum() {
    return (flags & F_NEEDS_CSUM) != 0;
  }

  /** The GSO type with the {@link #GSO_ECN} bit. */
  public int gsoType() {
    return gsoType;
  }

  public int hdrLen() {
    return hdrLen;
  }

  public int gsoSize() {
    return gsoSize;
  }

  public int csumStart() {
    return csumStart;
  }

  public int csumOffset() {
    return csumOffset;
  }

  private static int le16(ByteBuffer b, int at) {
    return (b.get(at) & 0xff) | (b.get(at + 1) & 0xff) << 8;
  }

  private static void putLe16(ByteBuffer b, int at, int value) {
    b.put(at, (byte) value);
    b.put(at + 1, (byte) (value >>> 8));
  }
}
