package dev.ringway.core.conn;

import dev.ringway.core.ip.Ipv4Address;
import java.nio.ByteBuffer;

/** Builds and checks IPv4/UDP packets from scratch (full checksums, not incremental ones). */
final class Packets {
  private Packets() {}

  static byte[] udp(String source, String destination, byte[] payload) {
    int length = 20 + 8 + payload.length;
    ByteBuffer p = ByteBuffer.allocate(length);
    p.put((byte) 0x45).put((byte) 0).putShort((short) length).putShort((short) 0x1234);
    p.putShort((short) 0x4000).put((byte) 64).put((byte) 17).putShort((short) 0);
    p.putInt(Ipv4Address.parse(source).value()).putInt(Ipv4Address.parse(destination).value());
    p.putShort((short) 40000).putShort((short) 53).putShort((short) (8 + payload.length));
    p.putShort((short) 0).put(payload);
    byte[] bytes = p.array();
    putShort(bytes, 10, sum(bytes, 0, 20, 0));
    putShort(bytes, 26, udpChecksum(bytes));
    return bytes;
  }

  static String source(byte[] packet) {
    return Ipv4Address.format(ByteBuffer.wrap(packet).getInt(12));
  }

  static String destination(byte[] packet) {
    return Ipv4Address.format(ByteBuffer.wrap(packet).getInt(16));
  }

  /** Whether the IPv4 header checksum and the UDP checksum (over the pseudo-header) verify. */
  static boolean checksumsValid(byte[] packet) {
    return sum(packet, 0, 20, 0) == 0 && udpChecksum(packet) == 0;
  }

  private static int udpChecksum(byte[] packet) {
    int udpLength = packet.length - 20;
    int pseudo = 0;
    for (int i = 12; i < 20; i += 2) {
      pseudo += ((packet[i] & 0xff) << 8) | (packet[i + 1] & 0xff);
    }
    pseudo += 17 + udpLength;
    return sum(packet, 20, udpLength, pseudo);
  }

  /** One's-complement of the one's-complement sum; 0 when the data includes a valid checksum. */
  private static int sum(byte[] data, int offset, int length, int initial) {
    long sum = initial;
    for (int i = 0; i < length; i += 2) {
      int hi = data[offset + i] & 0xff;
      int lo = i + 1 < length ? data[offset + i + 1] & 0xff : 0;
      sum += (hi << 8) | lo;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) (~sum & 0xffff);
  }

  private static void putShort(byte[] bytes, int index, int value) {
    bytes[index] = (byte) (value >> 8);
    bytes[index + 1] = (byte) value;
  }
}
