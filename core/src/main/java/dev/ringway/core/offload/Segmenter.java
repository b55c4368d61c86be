package dev.ringway.core.offload;

import static dev.ringway.core.offload.InternetChecksum.PROTOCOL_TCP;
import static dev.ringway.core.offload.InternetChecksum.PROTOCOL_UDP;
import static dev.ringway.core.offload.NetworkOrder.put16;
import static dev.ringway.core.offload.NetworkOrder.put32;
import static dev.ringway.core.offload.NetworkOrder.u16;
import static dev.ringway.core.offload.NetworkOrder.u32;
import static dev.ringway.core.offload.NetworkOrder.u8;

import java.nio.ByteBuffer;

/**
 * TSO/USO in userspace: turns one frame read from a TUN opened with {@code IFF_VNET_HDR} (the
 * virtio-net header, then an IPv4 or IPv6 packet of up to 64 KB) into the inside packets it stands
 * for, each with complete IP and TCP/UDP checksums, since the outside path has no checksum offload.
 *
 * <p>Use: {@link #prepare} the frame, then either use the packet in place ({@link #PASS_THROUGH})
 * or write its segments one by one into buffers the caller takes from its pool ({@link
 * #writeSegment}). The frame is read only between {@code prepare} and the last {@code
 * writeSegment}; with {@code PASS_THROUGH} its checksum has been completed in place. Bad input is
 * refused with an {@link OffloadRefusal}, never with an exception, and nothing is read outside
 * {@code [offset, offset + length)}. One instance per loop thread; it allocates nothing.
 */
public final class Segmenter {
  /** {@link #prepare}: the packet needs no splitting; use it where it is. */
  public static final int PASS_THROUGH = 0;

  /** {@link #prepare} or {@link #writeSegment}: refused, see {@link #refusal()}. */
  public static final int REFUSED = -1;

  /**
   * At most this many segments per frame: a 64 KB frame at an MSS of 256 bytes. Bounds the work a
   * tiny {@code gso_size} could ask for.
   */
  public static final int MAX_SEGMENTS = 256;

  private static final int TCP_FIN = 0x01;
  private static final int TCP_PSH = 0x08;
  private static final int TCP_CWR = 0x80;

  private final VirtioNetHeader header = new VirtioNetHeader();
  private OffloadRefusal refusal;

  private ByteBuffer frame;
  private int ip;
  private int packetLength;
  private boolean v6;
  private boolean tcp;
  private int ipHeaderLength;
  private int headersLength;
  private int payloadLength;
  private int gsoSize;
  private int segments;
  private int firstSeq;
  private int firstId;
  private int tcpFlags;
  private int addressSum;

  /**
   * Parses the frame {@code [offset, offset + length)} of {@code in}: the virtio-net header at
   * {@code offset}, the IP packet after it.
   *
   * @return the number of segments to write (at least 1), {@link #PASS_THROUGH}, or {@link
   *     #REFUSED}
   */
  public int prepare(ByteBuffer in, int offset, int length) {
    frame = null;
    segments = 0;
    if (offset < 0 || length < VirtioNetHeader.LENGTH + 1 || offset + length > in.limit()) {
      return refuse(OffloadRefusal.TRUNCATED);
    }
    header.read(in, offset);
    ip = offset + VirtioNetHeader.LENGTH;
    packetLength = length - VirtioNetHeader.LENGTH;
    int type = header.gsoType() & ~VirtioNetHeader.GSO_ECN;
    if (type == VirtioNetHeader.GSO_NONE) {
      return completeChecksum(in);
    }
    if (type != VirtioNetHeader.GSO_TCPV4
        && type != VirtioNetHeader.GSO_TCPV6
        && type != VirtioNetHeader.GSO_UDP_L4) {
      return refuse(OffloadRefusal.UNSUPPORTED_GSO_TYPE);
    }
    int result = parseIp(in, type);
    if (result != 0) {
      return result;
    }
    result = parseTransport(in);
    if (result != 0) {
      return result;
    }
    if (header.hdrLen() > packetLength) {
      return refuse(OffloadRefusal.HEADER_LENGTH_BEYOND_PACKET);
    }
    if (header.needsChecksum()
        && (header.csumStart() != ipHeaderLength || header.csumOffset() != checksumField())) {
      return refuse(OffloadRefusal.CHECKSUM_LOCATION);
    }
    gsoSize = header.gsoSize();
    if (gsoSize == 0) {
      return refuse(OffloadRefusal.ZERO_GSO_SIZE);
    }
    payloadLength = packetLength - headersLength;
    if (payloadLength == 0) {
      return refuse(OffloadRefusal.NO_PAYLOAD);
    }
    int count = (payloadLength + gsoSize - 1) / gsoSize;
    if (count > MAX_SEGMENTS) {
      return refuse(OffloadRefusal.TOO_MANY_SEGMENTS);
    }
    int addressLength = v6 ? 16 : 4;
    addressSum = InternetChecksum.sum(in, ip + (v6 ? 8 : 12), 2 * addressLength, 0);
    frame = in;
    segments = count;
    return count;
  }

  /**
   * Writes segment {@code index} (0-based, below what {@link #prepare} returned) at {@code at} in
   * {@code out}.
   *
   * @return the segment's length in bytes, or {@link #REFUSED} ({@link OffloadRefusal#NO_ROOM} if
   *     it does not fit before {@code out}'s limit)
   */
  public int writeSegment(int index, ByteBuffer out, int at) {
    if (frame == null || index < 0 || index >= segments) {
      throw new IllegalStateException("no segment " + index + " prepared");
    }
    int start = index * gsoSize;
    int size = Math.min(gsoSize, payloadLength - start);
    int total = headersLength + size;
    if (at < 0 || at + total > out.limit()) {
      return refuse(OffloadRefusal.NO_ROOM);
    }
    out.put(at, frame, ip, headersLength);
    out.put(at + headersLength, frame, ip + headersLength + start, size);
    if (v6) {
      put16(out, at + 4, total - 40);
    } else {
      put16(out, at + 2, total);
      put16(out, at + 4, firstId + index);
      put16(out, at + 10, 0);
      put16(
          out,
          at + 10,
          InternetChecksum.complement(InternetChecksum.sum(out, at, ipHeaderLength, 0)));
    }
    int l4 = at + ipHeaderLength;
    int l4Length = total - ipHeaderLength;
    int protocol;
    if (tcp) {
      protocol = PROTOCOL_TCP;
      put32(out, l4 + 4, firstSeq + start);
      int flags = tcpFlags;
      if (index + 1 < segments) {
        flags &= ~(TCP_FIN | TCP_PSH);
      }
      if (index > 0) {
        flags &= ~TCP_CWR;
      }
      out.put(l4 + 13, (byte) flags);
    } else {
      protocol = PROTOCOL_UDP;
      put16(out, l4 + 4, l4Length);
    }
    int field = l4 + checksumField();
    put16(out, field, 0);
    int sum = InternetChecksum.sum(out, l4, l4Length, addressSum + protocol + l4Length);
    int checksum = InternetChecksum.complement(sum);
    put16(out, field, checksum == 0 && !tcp ? 0xffff : checksum);
    return total;
  }

  /**
   * Prepares and writes every segment into {@code out[0..n)} at {@code at}, their lengths into
   * {@code lengths}.
   *
   * @return n, {@link #PASS_THROUGH} or {@link #REFUSED} (also when {@code out} has fewer than n
   *     buffers)
   */
  public int segment(
      ByteBuffer in, int offset, int length, ByteBuffer[] out, int at, int[] lengths) {
    int count = prepare(in, offset, length);
    if (count <= 0) {
      return count;
    }
    if (count > out.length || count > lengths.length) {
      return refuse(OffloadRefusal.NO_ROOM);
    }
    for (int i = 0; i < count; i++) {
      int written = writeSegment(i, out[i], at);
      if (written < 0) {
        return written;
      }
      lengths[i] = written;
    }
    return count;
  }

  /** Why the last {@link #REFUSED} happened. */
  public OffloadRefusal refusal() {
    return refusal;
  }

  /** The header read by the last {@link #prepare}. */
  public VirtioNetHeader header() {
    return header;
  }

  /** Where the IP packet of the last prepared frame starts (for {@link #PASS_THROUGH}). */
  public int packetOffset() {
    return ip;
  }

  /** The IP packet's length in the last prepared frame (for {@link #PASS_THROUGH}). */
  public int packetLength() {
    return packetLength;
  }

  /** The longest segment the prepared frame yields: headers plus {@code gso_size}. */
  public int maxSegmentLength() {
    return headersLength + Math.min(gsoSize, payloadLength);
  }

  private int completeChecksum(ByteBuffer in) {
    if (header.needsChecksum()) {
      int start = header.csumStart();
      int field = start + header.csumOffset();
      if (start >= packetLength || field + 2 > packetLength) {
        return refuse(OffloadRefusal.CHECKSUM_OUT_OF_PACKET);
      }
      // The field holds the pseudo-header sum the kernel left there, so summing over it adds it.
      int checksum =
          InternetChecksum.complement(
              InternetChecksum.sum(in, ip + start, packetLength - start, 0));
      boolean udp = header.csumOffset() == 6;
      put16(in, ip + field, checksum == 0 && udp ? 0xffff : checksum);
    }
    return PASS_THROUGH;
  }

  private int parseIp(ByteBuffer in, int type) {
    int version = u8(in, ip) >>> 4;
    if (version == 4) {
      ipHeaderLength = (u8(in, ip) & 0x0f) * 4;
      if (ipHeaderLength < 20 || packetLength < ipHeaderLength) {
        return refuse(OffloadRefusal.BAD_IP_HEADER);
      }
      if (u16(in, ip + 2) != packetLength) {
        return refuse(OffloadRefusal.INCONSISTENT_LENGTH);
      }
      if ((u16(in, ip + 6) & 0x3fff) != 0) {
        return refuse(OffloadRefusal.FRAGMENTED);
      }
      v6 = false;
      firstId = u16(in, ip + 4);
      return protocolFor(type, u8(in, ip + 9), VirtioNetHeader.GSO_TCPV4);
    }
    if (version == 6) {
      ipHeaderLength = 40;
      if (packetLength < ipHeaderLength) {
        return refuse(OffloadRefusal.BAD_IP_HEADER);
      }
      if (u16(in, ip + 4) + 40 != packetLength) {
        return refuse(OffloadRefusal.INCONSISTENT_LENGTH);
      }
      int next = u8(in, ip + 6);
      if (next != PROTOCOL_TCP && next != PROTOCOL_UDP) {
        return refuse(OffloadRefusal.IPV6_EXTENSION_HEADERS);
      }
      v6 = true;
      return protocolFor(type, next, VirtioNetHeader.GSO_TCPV6);
    }
    return refuse(OffloadRefusal.BAD_IP_HEADER);
  }

  private int protocolFor(int type, int protocol, int tcpType) {
    if (type == tcpType && protocol == PROTOCOL_TCP) {
      tcp = true;
      return 0;
    }
    if (type == VirtioNetHeader.GSO_UDP_L4 && protocol == PROTOCOL_UDP) {
      tcp = false;
      return 0;
    }
    return refuse(OffloadRefusal.GSO_TYPE_MISMATCH);
  }

  private int parseTransport(ByteBuffer in) {
    int l4 = ip + ipHeaderLength;
    if (tcp) {
      if (packetLength < ipHeaderLength + 20) {
        return refuse(OffloadRefusal.BAD_TRANSPORT_HEADER);
      }
      int tcpHeaderLength = (u8(in, l4 + 12) >>> 4) * 4;
      if (tcpHeaderLength < 20 || packetLength < ipHeaderLength + tcpHeaderLength) {
        return refuse(OffloadRefusal.BAD_TRANSPORT_HEADER);
      }
      headersLength = ipHeaderLength + tcpHeaderLength;
      firstSeq = u32(in, l4 + 4);
      tcpFlags = u8(in, l4 + 13);
      return 0;
    }
    if (packetLength < ipHeaderLength + 8) {
      return refuse(OffloadRefusal.BAD_TRANSPORT_HEADER);
    }
    if (u16(in, l4 + 4) != packetLength - ipHeaderLength) {
      return refuse(OffloadRefusal.INCONSISTENT_LENGTH);
    }
    headersLength = ipHeaderLength + 8;
    return 0;
  }

  private int checksumField() {
    return tcp ? 16 : 6;
  }

  private int refuse(OffloadRefusal why) {
    refusal = why;
    return REFUSED;
  }
}
