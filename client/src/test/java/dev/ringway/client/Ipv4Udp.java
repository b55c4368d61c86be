package dev.ringway.client;

import dev.ringway.core.ip.Ipv4Address;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Builds and reads IPv4/UDP packets from scratch, with full checksums. */
final class Ipv4Udp {
  private static final int IP_HEADER = 20;
  private static final int UDP_HEADER = 8;

  private Ipv4Udp() {}

  static byte[] packet(String source, int sourcePort, String destination, int port, byte[] data) {
    int length = IP_HEADER + UDP_HEADER + data.length;
    ByteBuffer p = ByteBuffer.allocate(length);
    p.put((byte) 0x45).put((byte) 0).putShort((short) length).putShort((short) 0x4242);
    p.putShort((short) 0x4000).put((byte) 64).put((byte) 17).putShort((short) 0);
    p.putInt(Ipv4Address.parse(source).value()).putInt(Ipv4Address.parse(destination).value());
    p.putShort((short) sourcePort)
        .putShort((short) port)
        .putShort((short) (UDP_HEADER + data.length));
    p.putShort((short) 0).put(data);
    byte[] bytes = p.array();
    putShort(bytes, 10, checksum(bytes, 0, IP_HEADER, 0));
    int pseudo = 17 + UDP_HEADER + data.length;
    for (int i = 12; i < 20; i += 2) {
      pseudo += ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff);
    }
    int udp = checksum(bytes, IP_HEADER, UDP_HEADER + data.length, pseudo);
    putShort(bytes, 26, udp == 0 ? 0xffff : udp);
    return bytes;
  }

  static boolean isUdp(byte[] packet) {
    return packet.length >= IP_HEADER + UDP_HEADER && (packet[0] & 0xf0) == 0x40 && packet[9] == 17;
  }

  static String destination(byte[] packet) {
    return Ipv4Address.format(ByteBuffer.wrap(packet).getInt(16));
  }

  static int destinationPort(byte[] packet) {
    int headerLength = (packet[0] & 0x0f) * 4;
    return ByteBuffer.wrap(packet).getShort(headerLength + 2) & 0xffff;
  }

  static byte[] payload(byte[] packet) {
    int headerLength = (packet[0] & 0x0f) * 4;
    return Arrays.copyOfRange(packet, headerLength + UDP_HEADER, packet.length);
  }

  private static int checksum(byte[] data, int offset, int length, int initial) {
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
