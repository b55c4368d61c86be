package dev.ringway.core.offload;

import static dev.ringway.core.offload.InternetChecksum.PROTOCOL_TCP;
import static dev.ringway.core.offload.NetworkOrder.put16;
import static dev.ringway.core.offload.NetworkOrder.u16;
import static dev.ringway.core.offload.NetworkOrder.u32;
import static dev.ringway.core.offload.NetworkOrder.u8;

import java.nio.ByteBuffer;

/**
 * GRO in userspace: turns a batch of inside packets bound for a TUN opened with {@code
 * IFF_VNET_HDR} into the frames to write, merging consecutive TCP segments of one flow into one
 * super-packet the kernel splits again only if it has to.
 *
 * <p>Merging follows the kernel's own GRO rules ({@code tcp_gro_receive}, {@code
 * inet_gro_receive}): same addresses and ports, the next sequence number, the same ACK number,
 * window, data offset and flags (PSH allowed on the last segment only, CWR on the first only), TCP
 * options byte for byte (so timestamps must be equal), no SYN, FIN, RST or URG, a non-empty
 * payload, every segment as long as the first except a shorter last one, IPv4 without options or
 * fragments with the same TOS, TTL and DF and, without DF, consecutive IDs; IPv6 without extension
 * headers with the same traffic class, flow label and hop limit; at most {@link #MAX_SUPER_PACKET}
 * bytes. A segment joins only the newest frame of its flow, so every flow's packets stay in their
 * order; a segment whose TCP checksum is wrong is never merged (the kernel would recompute it and
 * hide the damage) and goes out as it came.
 *
 * <p>Packets stay in the caller's buffers with at least {@link VirtioNetHeader#LENGTH} bytes free
 * before each: a packet written alone gets its all-zero header there. A merged frame is built in
 * one of the caller's super-packet buffers (each at least {@link #SUPER_BUFFER_BYTES} up to its
 * limit); when those run out, the rest goes out unmerged. One instance per loop thread; it
 * allocates nothing after construction.
 */
public final class Coalescer {
  /** The largest merged IP packet: the IPv4 total length limit, used for IPv6 too. */
  public static final int MAX_SUPER_PACKET = 65535;

  /** A super-packet buffer holds the virtio-net header and the largest merged packet. */
  public static final int SUPER_BUFFER_BYTES = VirtioNetHeader.LENGTH + MAX_SUPER_PACKET;

  private static final int TCP_FIN = 0x01;
  private static final int TCP_SYN = 0x02;
  private static final int TCP_RST = 0x04;
  private static final int TCP_PSH = 0x08;
  private static final int TCP_ACK = 0x10;
  private static final int TCP_URG = 0x20;
  private static final int TCP_CWR = 0x80;

  private static final int NOT_TCP = 0;
  private static final int TCP_UNMERGEABLE = 1;
  private static final int TCP_MERGEABLE = 2;

  private final VirtioNetHeader header = new VirtioNetHeader();

  // Per output frame ("unit"), in batch order.
  private final int[] unitFirst;
  private final int[] unitPackets;
  private final int[] unitSuper;
  private final int[] unitLength;
  private final int[] unitGsoSize;
  private final int[] unitNextSeq;
  private final int[] unitFlowHash;
  private final boolean[] unitTcp;
  private final boolean[] unitOpen;
  private int units;

  // The packet being classified.
  private boolean v6;
  private int ipHeaderLength;
  private int tcpHeaderLength;
  private int payloadLength;
  private int flowHash;

  private ByteBuffer[] packets;
  private int[] offsets;
  private int[] lengths;
  private ByteBuffer[] supers;
  private int supersUsed;

  /** A coalescer for batches of up to {@code maxBatch} packets. */
  public Coalescer(int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
    }
    unitFirst = new int[maxBatch];
    unitPackets = new int[maxBatch];
    unitSuper = new int[maxBatch];
    unitLength = new int[maxBatch];
    unitGsoSize = new int[maxBatch];
    unitNextSeq = new int[maxBatch];
    unitFlowHash = new int[maxBatch];
    unitTcp = new boolean[maxBatch];
    unitOpen = new boolean[maxBatch];
  }

  /**
   * Plans the TUN writes for {@code packets[0..count)}, packet {@code i} being {@code [offsets[i],
   * offsets[i] + lengths[i])} of {@code packets[i]}. Writes the virtio-net headers and fills
   * super-packet buffers from {@code superBuffers} in order; the input packets are not changed
   * except for the header bytes before them. The frames, in write order, are then described by
   * {@link #frameBuffer}, {@link #frameOffset}, {@link #frameLength} and {@link #framePackets},
   * valid until the next call.
   *
   * @return the number of frames to write
   * @throws IllegalArgumentException if {@code count} exceeds the batch size, or a packet lies
   *     outside its buffer or has fewer than {@link VirtioNetHeader#LENGTH} bytes before it (caller
   *     bugs, not bad packets: bad packets go out unmerged)
   */
  public int coalesce(
      ByteBuffer[] packets, int[] offsets, int[] lengths, int count, ByteBuffer[] superBuffers) {
    if (count > unitFirst.length) {
      throw new IllegalArgumentException(
          "batch of " + count + " exceeds the coalescer's " + unitFirst.length);
    }
    this.packets = packets;
    this.offsets = offsets;
    this.lengths = lengths;
    this.supers = superBuffers;
    supersUsed = 0;
    units = 0;
    for (int i = 0; i < count; i++) {
      if (offsets[i] < VirtioNetHeader.LENGTH || offsets[i] + lengths[i] > packets[i].limit()) {
        throw new IllegalArgumentException(
            "packet " + i + " lies outside its buffer or has no room before it for its header");
      }
      int kind = classify(packets[i], offsets[i], lengths[i]);
      if (kind == NOT_TCP || !tryAppend(i, kind)) {
        startUnit(i, kind);
      }
    }
    for (int u = 0; u < units; u++) {
      finish(u);
    }
    return units;
  }

  /** The buffer holding frame {@code k}: an input packet's or a super-packet buffer. */
  public ByteBuffer frameBuffer(int k) {
    int s = unitSuper[check(k)];
    return s < 0 ? packets[unitFirst[k]] : supers[s];
  }

  /** Where frame {@code k} (virtio-net header first) starts in its buffer. */
  public int frameOffset(int k) {
    return unitSuper[check(k)] < 0 ? offsets[unitFirst[k]] - VirtioNetHeader.LENGTH : 0;
  }

  /** Frame {@code k}'s length, virtio-net header included. */
  public int frameLength(int k) {
    return VirtioNetHeader.LENGTH + unitLength[check(k)];
  }

  /** How many inside packets frame {@code k} carries (1 unless merged). */
  public int framePackets(int k) {
    return unitPackets[check(k)];
  }

  /** The batch index of the first packet in frame {@code k}. */
  public int frameFirstPacket(int k) {
    return unitFirst[check(k)];
  }

  /** How many super-packet buffers the last {@link #coalesce} filled. */
  public int superBuffersUsed() {
    return supersUsed;
  }

  private int check(int k) {
    if (k < 0 || k >= units) {
      throw new IndexOutOfBoundsException("no frame " + k + " of " + units);
    }
    return k;
  }

  private int classify(ByteBuffer b, int at, int length) {
    if (length < 20) {
      return NOT_TCP;
    }
    int version = u8(b, at) >>> 4;
    if (version == 4) {
      ipHeaderLength = (u8(b, at) & 0x0f) * 4;
      if (ipHeaderLength < 20 || length < ipHeaderLength + 20 || u8(b, at + 9) != PROTOCOL_TCP) {
        return NOT_TCP;
      }
      v6 = false;
    } else if (version == 6) {
      ipHeaderLength = 40;
      if (length < 60 || u8(b, at + 6) != PROTOCOL_TCP) {
        return NOT_TCP;
      }
      v6 = true;
    } else {
      return NOT_TCP;
    }
    int l4 = at + ipHeaderLength;
    flowHash = flowHash(b, at, l4);
    tcpHeaderLength = (u8(b, l4 + 12) >>> 4) * 4;
    if (tcpHeaderLength < 20 || length < ipHeaderLength + tcpHeaderLength) {
      return TCP_UNMERGEABLE;
    }
    payloadLength = length - ipHeaderLength - tcpHeaderLength;
    if (v6) {
      if (u16(b, at + 4) + 40 != length) {
        return TCP_UNMERGEABLE;
      }
    } else if (ipHeaderLength != 20 || u16(b, at + 2) != length || (u16(b, at + 6) & 0xbfff) != 0) {
      // Options, fragments and the reserved flag bit all stop the kernel's GRO too.
      return TCP_UNMERGEABLE;
    }
    int flags = u8(b, l4 + 13);
    if ((flags & (TCP_SYN | TCP_FIN | TCP_RST | TCP_URG)) != 0 || (flags & TCP_ACK) == 0) {
      return TCP_UNMERGEABLE;
    }
    if (payloadLength == 0 || !checksumValid(b, at, length)) {
      return TCP_UNMERGEABLE;
    }
    return TCP_MERGEABLE;
  }

  private boolean checksumValid(ByteBuffer b, int at, int length) {
    int addressLength = v6 ? 16 : 4;
    int l4Length = length - ipHeaderLength;
    int pseudo =
        InternetChecksum.pseudoHeader(b, at + (v6 ? 8 : 12), addressLength, PROTOCOL_TCP, l4Length);
    return InternetChecksum.sum(b, at + ipHeaderLength, l4Length, pseudo) == 0xffff;
  }

  private static int flowHash(ByteBuffer b, int at, int l4) {
    boolean v6 = (u8(b, at) >>> 4) == 6;
    int h = u32(b, l4);
    if (v6) {
      for (int i = 8; i < 40; i += 4) {
        h = h * 31 + u32(b, at + i);
      }
    } else {
      h = h * 31 + u32(b, at + 12);
      h = h * 31 + u32(b, at + 16);
    }
    return h;
  }

  /** The newest frame of the packet's flow, or -1. */
  private int newestUnitOfFlow(int i) {
    ByteBuffer b = packets[i];
    int at = offsets[i];
    for (int u = units - 1; u >= 0; u--) {
      if (unitTcp[u] && unitFlowHash[u] == flowHash && sameFlow(b, at, unitFirst[u])) {
        return u;
      }
    }
    return -1;
  }

  private boolean sameFlow(ByteBuffer b, int at, int other) {
    ByteBuffer o = packets[other];
    int oat = offsets[other];
    if ((u8(o, oat) >>> 4) != (v6 ? 6 : 4)) {
      return false;
    }
    int addresses = v6 ? 8 : 12;
    int addressBytes = v6 ? 32 : 8;
    if (!equalBytes(b, at + addresses, o, oat + addresses, addressBytes)) {
      return false;
    }
    int oIpHeader = v6 ? 40 : (u8(o, oat) & 0x0f) * 4;
    return u32(b, at + ipHeaderLength) == u32(o, oat + oIpHeader);
  }

  private boolean tryAppend(int i, int kind) {
    int u = newestUnitOfFlow(i);
    if (u < 0 || kind != TCP_MERGEABLE || !unitOpen[u]) {
      return false;
    }
    ByteBuffer b = packets[i];
    int at = offsets[i];
    int first = unitFirst[u];
    ByteBuffer f = packets[first];
    int fat = offsets[first];
    int l4 = at + ipHeaderLength;
    int fl4 = fat + ipHeaderLength;
    if (u32(b, l4 + 4) != unitNextSeq[u]
        || payloadLength > unitGsoSize[u]
        || unitLength[u] + payloadLength > MAX_SUPER_PACKET) {
      return false;
    }
    if (!sameHeaders(b, at, f, fat, unitPackets[u])) {
      return false;
    }
    int flags = u8(b, l4 + 13);
    // Everything from the data offset through the window, flags aside, must match the first.
    if ((flags & TCP_CWR) != 0
        || u8(b, l4 + 12) != u8(f, fl4 + 12)
        || (flags & ~TCP_PSH) != (u8(f, fl4 + 13) & ~(TCP_PSH | TCP_CWR))
        || u16(b, l4 + 14) != u16(f, fl4 + 14)
        || u32(b, l4 + 8) != u32(f, fl4 + 8)
        || !equalBytes(b, l4 + 20, f, fl4 + 20, tcpHeaderLength - 20)) {
      return false;
    }
    if (unitSuper[u] < 0 && !moveToSuper(u)) {
      return false;
    }
    ByteBuffer s = supers[unitSuper[u]];
    int end = VirtioNetHeader.LENGTH + unitLength[u];
    if (end + payloadLength > s.limit()) {
      return false;
    }
    s.put(end, b, l4 + tcpHeaderLength, payloadLength);
    unitLength[u] += payloadLength;
    unitPackets[u]++;
    unitNextSeq[u] += payloadLength;
    if ((flags & TCP_PSH) != 0) {
      int sl4 = VirtioNetHeader.LENGTH + ipHeaderLength;
      s.put(sl4 + 13, (byte) (u8(s, sl4 + 13) | TCP_PSH));
      unitOpen[u] = false;
    }
    if (payloadLength < unitGsoSize[u]) {
      unitOpen[u] = false;
    }
    return true;
  }

  private boolean sameHeaders(ByteBuffer b, int at, ByteBuffer f, int fat, int merged) {
    if (v6) {
      return u32(b, at) == u32(f, fat) && u8(b, at + 7) == u8(f, fat + 7);
    }
    if (u8(b, at + 1) != u8(f, fat + 1)
        || u8(b, at + 8) != u8(f, fat + 8)
        || u16(b, at + 6) != u16(f, fat + 6)) {
      return false;
    }
    // Without DF the kernel resegments with consecutive IDs, so only such a run may merge.
    boolean dontFragment = (u16(f, fat + 6) & 0x4000) != 0;
    return dontFragment || u16(b, at + 4) == ((u16(f, fat + 4) + merged) & 0xffff);
  }

  private boolean moveToSuper(int u) {
    if (supersUsed >= supers.length) {
      return false;
    }
    ByteBuffer s = supers[supersUsed];
    int first = unitFirst[u];
    if (VirtioNetHeader.LENGTH + lengths[first] > s.limit()) {
      return false;
    }
    s.put(VirtioNetHeader.LENGTH, packets[first], offsets[first], lengths[first]);
    unitSuper[u] = supersUsed++;
    return true;
  }

  private void startUnit(int i, int kind) {
    int u = units++;
    unitFirst[u] = i;
    unitPackets[u] = 1;
    unitSuper[u] = -1;
    unitLength[u] = lengths[i];
    unitTcp[u] = kind != NOT_TCP;
    unitFlowHash[u] = flowHash;
    unitOpen[u] = false;
    if (kind == TCP_MERGEABLE) {
      int l4 = offsets[i] + ipHeaderLength;
      unitGsoSize[u] = payloadLength;
      unitNextSeq[u] = u32(packets[i], l4 + 4) + payloadLength;
      unitOpen[u] = (u8(packets[i], l4 + 13) & TCP_PSH) == 0;
    }
  }

  private void finish(int u) {
    if (unitSuper[u] < 0) {
      int first = unitFirst[u];
      VirtioNetHeader.writeNone(packets[first], offsets[first] - VirtioNetHeader.LENGTH);
      return;
    }
    ByteBuffer s = supers[unitSuper[u]];
    int ipAt = VirtioNetHeader.LENGTH;
    boolean isV6 = (u8(s, ipAt) >>> 4) == 6;
    int ipLength = isV6 ? 40 : 20;
    int total = unitLength[u];
    int l4Length = total - ipLength;
    if (isV6) {
      put16(s, ipAt + 4, l4Length);
    } else {
      put16(s, ipAt + 2, total);
      put16(s, ipAt + 10, 0);
      put16(s, ipAt + 10, InternetChecksum.complement(InternetChecksum.sum(s, ipAt, 20, 0)));
    }
    int l4 = ipAt + ipLength;
    // CHECKSUM_PARTIAL as the kernel expects it: the field holds the uncomplemented
    // pseudo-header sum and the kernel (or the NIC) finishes it per segment.
    int pseudo =
        InternetChecksum.pseudoHeader(
            s, ipAt + (isV6 ? 8 : 12), isV6 ? 16 : 4, PROTOCOL_TCP, l4Length);
    put16(s, l4 + 16, pseudo);
    int tcpLength = (u8(s, l4 + 12) >>> 4) * 4;
    int type = isV6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4;
    if ((u8(s, l4 + 13) & TCP_CWR) != 0) {
      type |= VirtioNetHeader.GSO_ECN;
    }
    header
        .set(VirtioNetHeader.F_NEEDS_CSUM, type, ipLength + tcpLength, unitGsoSize[u], ipLength, 16)
        .write(s, 0);
  }

  private static boolean equalBytes(ByteBuffer a, int at, ByteBuffer b, int bt, int length) {
    for (int i = 0; i < length; i++) {
      if (a.get(at + i) != b.get(bt + i)) {
        return false;
      }
    }
    return true;
  }
}
