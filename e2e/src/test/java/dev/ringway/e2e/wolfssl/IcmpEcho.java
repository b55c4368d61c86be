package dev.ringway.e2e.wolfssl;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * An ICMP echo request as an inside IPv4 packet, and the test for its reply: what the client puts
 * in a Data frame so the server's TUN, and the kernel behind it, answers.
 */
record IcmpEcho(Inet4Address source, Inet4Address destination, int id, int sequence) {
  private static final int IPV4_HEADER = 20;
  private static final int ICMP_HEADER = 8;
  private static final int PROTOCOL_ICMP = 1;
  private static final int ECHO_REPLY = 0;
  private static final int ECHO_REQUEST = 8;

  /** The request with {@code payload}: 20-byte IPv4 header (DF, TTL 64), then ICMP. */
  byte[] request(byte[] payload) {
    int length = IPV4_HEADER + ICMP_HEADER + payload.length;
    ByteBuffer packet = ByteBuffer.allocate(length);
    packet
        .put((byte) 0x45)
        .put((byte) 0)
        .putShort((short) length)
        .putShort((short) id)
        .putShort((short) 0x4000)
        .put((byte) 64)
        .put((byte) PROTOCOL_ICMP)
        .putShort((short) 0)
        .put(source.getAddress())
        .put(destination.getAddress());
    packet.putShort(10, checksum(packet.array(), 0, IPV4_HEADER));
    packet
        .put((byte) ECHO_REQUEST)
        .put((byte) 0)
        .putShort((short) 0)
        .putShort((short) id)
        .putShort((short) sequence)
        .put(payload);
    packet.putShort(
        IPV4_HEADER + 2, checksum(packet.array(), IPV4_HEADER, ICMP_HEADER + payload.length));
    return packet.array();
  }

  /**
   * True when {@code packet} is the echo reply to {@link #request(byte[])}: from the destination to
   * the source, same id and sequence, the same payload, and an ICMP checksum that verifies.
   */
  boolean isReply(byte[] packet, byte[] payload) {
    if (packet.length != IPV4_HEADER + ICMP_HEADER + payload.length
        || (packet[0] & 0xff) != 0x45
        || packet[9] != PROTOCOL_ICMP) {
      return false;
    }
    ByteBuffer in = ByteBuffer.wrap(packet);
    byte[] from = new byte[4];
    byte[] to = new byte[4];
    in.get(12, from).get(16, to);
    return java.util.Arrays.equals(from, destination.getAddress())
        && java.util.Arrays.equals(to, source.getAddress())
        && packet[IPV4_HEADER] == ECHO_REPLY
        && in.getShort(IPV4_HEADER + 4) == (short) id
        && in.getShort(IPV4_HEADER + 6) == (short) sequence
        && checksum(packet, IPV4_HEADER, packet.length - IPV4_HEADER) == 0
        && java.util.Arrays.equals(
            packet, IPV4_HEADER + ICMP_HEADER, packet.length, payload, 0, payload.length);
  }

  /** The Internet checksum (RFC 1071) of {@code length} bytes: 0 over data that carries its own. */
  static short checksum(byte[] data, int offset, int length) {
    long sum = 0;
    for (int i = 0; i + 1 < length; i += 2) {
      sum += ((data[offset + i] & 0xff) << 8) | (data[offset + i + 1] & 0xff);
    }
    if ((length & 1) != 0) {
      sum += (data[offset + length - 1] & 0xff) << 8;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (short) ~sum;
  }
}
