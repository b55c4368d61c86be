package dev.ringway.core.offload;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * Builds IPv4/IPv6 TCP and UDP packets byte by byte and checks them with a checksum routine of its
 * own (a plain loop over a byte array), so the code under test is never its own judge.
 */
final class Packets {
  static final byte[] SRC4 = {10, 125, 0, 5};
  static final byte[] DST4 = {10, 125, 0, 6};
  static final byte[] SRC6 = HexFormat.of().parseHex("fd000000000000000000000000000005");
  static final byte[] DST6 = HexFormat.of().parseHex("fd000000000000000000000000000006");

  static final int FIN = 0x01;
  static final int SYN = 0x02;
  static final int PSH = 0x08;
  static final int ACK = 0x10;
  static final int CWR = 0x80;

  private Packets() {}

  /** TCP options: NOP, NOP, timestamps (TSval, TSecr). */
  static byte[] timestamps(int tsval, int tsecr) {
    return ByteBuffer.allocate(12)
        .put((byte) 1)
        .put((byte) 1)
        .put((byte) 8)
        .put((byte) 10)
        .putInt(tsval)
        .putInt(tsecr)
        .array();
  }

  /** What a TCP segment carries: ports, numbers, flags, window, options and payload. */
  record Tcp(
      int sport,
      int dport,
      int seq,
      int ack,
      int flags,
      int window,
      byte[] options,
      byte[] payload) {
    Tcp withSeq(int s) {
      return new Tcp(sport, dport, s, ack, flags, window, options, payload);
    }

    Tcp withPayload(byte[] p) {
      return new Tcp(sport, dport, seq, ack, flags, window, options, p);
    }

    Tcp withFlags(int f) {
      return new Tcp(sport, dport, seq, ack, f, window, options, payload);
    }

    Tcp withOptions(byte[] o) {
      return new Tcp(sport, dport, seq, ack, flags, window, o, payload);
    }

    byte[] bytes() {
      ByteBuffer b = ByteBuffer.allocate(20 + options.length + payload.length);
      b.putShort((short) sport).putShort((short) dport).putInt(seq).putInt(ack);
      b.put((byte) ((5 + options.length / 4) << 4)).put((byte) flags).putShort((short) window);
      b.putShort((short) 0).putShort((short) 0).put(options).put(payload);
      return b.array();
    }
  }

  static Tcp tcp(int seq, byte[] payload) {
    return new Tcp(40000, 5201, seq, 0x11223344, ACK, 502, timestamps(1000, 2000), payload);
  }

  static byte[] udp(int sport, int dport, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
    b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length));
    return b.putShort((short) 0).put(payload).array();
  }

  /** An IPv4 packet with a valid header checksum and a valid TCP/UDP checksum. */
  static byte[] ipv4(int protocol, int id, boolean dontFragment, byte[] l4) {
    return ipv4(protocol, id, dontFragment, l4, SRC4, DST4);
  }

  static byte[] ipv4(
      int protocol, int id, boolean dontFragment, byte[] l4, byte[] src, byte[] dst) {
    byte[] p = new byte[20 + l4.length];
    ByteBuffer b = ByteBuffer.wrap(p);
    b.put((byte) 0x45).put((byte) 0).putShort((short) p.length).putShort((short) id);
    b.putShort((short) (dontFragment ? 0x4000 : 0)).put((byte) 64).put((byte) protocol);
    b.putShort((short) 0).put(src).put(dst).put(l4);
    b.putShort(10, (short) ~fold(checksum(p, 0, 20, 0)));
    fillTransportChecksum(p, 20, protocol);
    return p;
  }

  /** {@code packet} (IPv4) with four bytes of IP options (three NOPs and an end) added. */
  static byte[] withIpOptions(byte[] packet) {
    byte[] p = new byte[packet.length + 4];
    System.arraycopy(packet, 0, p, 0, 20);
    p[20] = 1;
    p[21] = 1;
    p[22] = 1;
    System.arraycopy(packet, 20, p, 24, packet.length - 20);
    p[0] = 0x46;
    ByteBuffer b = ByteBuffer.wrap(p).putShort(2, (short) p.length).putShort(10, (short) 0);
    b.putShort(10, (short) ~fold(checksum(p, 0, 24, 0)));
    return p;
  }

  /** An IPv6 packet (no extension headers) with a valid TCP/UDP checksum. */
  static byte[] ipv6(int protocol, byte[] l4) {
    byte[] p = new byte[40 + l4.length];
    ByteBuffer b = ByteBuffer.wrap(p);
    b.putInt(0x6000_0000 | 0x12345).putShort((short) l4.length).put((byte) protocol);
    b.put((byte) 64).put(SRC6).put(DST6).put(l4);
    fillTransportChecksum(p, 40, protocol);
    return p;
  }

  /**
   * What the kernel hands a TUN for a GSO packet: the transport checksum field holds the
   * uncomplemented pseudo-header sum (CHECKSUM_PARTIAL).
   */
  static byte[] partial(byte[] packet) {
    int ipLength = ipHeaderLength(packet);
    int field = ipLength + (protocol(packet) == 6 ? 16 : 6);
    packet[field] = 0;
    packet[field + 1] = 0;
    int sum = fold(pseudoHeader(packet, ipLength));
    packet[field] = (byte) (sum >>> 8);
    packet[field + 1] = (byte) sum;
    return packet;
  }

  static byte[] frame(
      int flags,
      int gsoType,
      int hdrLen,
      int gsoSize,
      int csumStart,
      int csumOffset,
      byte[] packet) {
    ByteBuffer b = ByteBuffer.allocate(10 + packet.length);
    new VirtioNetHeader().set(flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset).write(b, 0);
    return b.put(10, packet).array();
  }

  static byte[] pattern(int length, int seed) {
    byte[] p = new byte[length];
    for (int i = 0; i < length; i++) {
      p[i] = (byte) (i * 7 + seed);
    }
    return p;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static int ipHeaderLength(byte[] p) {
    return (p[0] & 0xf0) == 0x60 ? 40 : (p[0] & 0x0f) * 4;
  }

  static int protocol(byte[] p) {
    return (p[0] & 0xf0) == 0x60 ? p[6] & 0xff : p[9] & 0xff;
  }

  static int transportHeaderLength(byte[] p) {
    int l4 = ipHeaderLength(p);
    return protocol(p) == 6 ? ((p[l4 + 12] & 0xff) >>> 4) * 4 : 8;
  }

  static byte[] payload(byte[] p) {
    int from = ipHeaderLength(p) + transportHeaderLength(p);
    byte[] out = new byte[p.length - from];
    System.arraycopy(p, from, out, 0, out.length);
    return out;
  }

  static int u16(byte[] p, int at) {
    return (p[at] & 0xff) << 8 | (p[at + 1] & 0xff);
  }

  static int u32(byte[] p, int at) {
    return u16(p, at) << 16 | u16(p, at + 2);
  }

  static int tcpFlags(byte[] p) {
    return p[ipHeaderLength(p) + 13] & 0xff;
  }

  static boolean ipv4HeaderValid(byte[] p) {
    return (p[0] & 0xf0) == 0x60 || fold(checksum(p, 0, ipHeaderLength(p), 0)) == 0xffff;
  }

  static boolean transportChecksumValid(byte[] p) {
    int l4 = ipHeaderLength(p);
    return fold(checksum(p, l4, p.length, pseudoHeader(p, l4))) == 0xffff;
  }

  static boolean lengthsConsistent(byte[] p) {
    int l4 = ipHeaderLength(p);
    boolean ip = (p[0] & 0xf0) == 0x60 ? u16(p, 4) == p.length - 40 : u16(p, 2) == p.length;
    return ip && (protocol(p) != 17 || u16(p, l4 + 4) == p.length - l4);
  }

  private static void fillTransportChecksum(byte[] p, int l4, int protocol) {
    int field = l4 + (protocol == 6 ? 16 : 6);
    int value = ~fold(checksum(p, l4, p.length, pseudoHeader(p, l4))) & 0xffff;
    if (protocol == 17 && value == 0) {
      value = 0xffff;
    }
    p[field] = (byte) (value >>> 8);
    p[field + 1] = (byte) value;
  }

  private static long pseudoHeader(byte[] p, int l4) {
    boolean v6 = (p[0] & 0xf0) == 0x60;
    int addresses = v6 ? 8 : 12;
    int addressBytes = v6 ? 32 : 8;
    return checksum(p, addresses, addresses + addressBytes, 0) + protocol(p) + (p.length - l4);
  }

  static long checksum(byte[] p, int from, int to, long initial) {
    long sum = initial;
    for (int i = from; i < to; i++) {
      sum += ((i - from) % 2 == 0) ? (p[i] & 0xff) << 8 : p[i] & 0xff;
    }
    return sum;
  }

  static int fold(long sum) {
    while (sum > 0xffff) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) sum;
  }
}
