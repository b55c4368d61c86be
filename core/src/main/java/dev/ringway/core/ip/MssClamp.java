package dev.ringway.core.ip;

import java.nio.ByteBuffer;

/**
 * Lowers the MSS option of TCP SYN packets to what fits the tunnel (digest §5.4). Only a client
 * with a PMTU result clamps; the server never does.
 */
public final class MssClamp {
  /** Returned by {@link #clamp} when the packet was left unchanged. */
  public static final int NOT_CLAMPED = -1;

  private static final int TCP_HEADER = 20;
  private static final int TCP_CHECKSUM = 16;
  private static final int TCP_FLAGS = 13;
  private static final int SYN = 0x02;
  private static final int OPTION_END = 0;
  private static final int OPTION_NOP = 1;
  private static final int OPTION_MSS = 2;

  private MssClamp() {}

  /**
   * Clamps the MSS of an IPv4 TCP SYN (or SYN-ACK) to {@code mss} and fixes the TCP checksum.
   *
   * @return the previous MSS if it was lowered, else {@link #NOT_CLAMPED} (not IPv4 TCP, not a SYN,
   *     no MSS option, malformed options, or an MSS already at most {@code mss})
   */
  public static int clamp(ByteBuffer packet, int offset, int length, int mss) {
    if (InsidePacket.check(packet, offset, length) != InsidePacket.Verdict.VALID
        || InsidePacket.protocol(packet, offset) != InsidePacket.PROTOCOL_TCP) {
      return NOT_CLAMPED;
    }
    int ipHeader = InsidePacket.headerLength(packet, offset);
    int tcp = offset + ipHeader;
    int tcpLength = Math.min(InsidePacket.totalLength(packet, offset), length) - ipHeader;
    if (tcpLength < TCP_HEADER || (packet.get(tcp + TCP_FLAGS) & SYN) == 0) {
      return NOT_CLAMPED;
    }
    int dataOffset = ((packet.get(tcp + 12) & 0xf0) >>> 4) * 4;
    int end = tcp + Math.min(dataOffset, tcpLength);
    int p = tcp + TCP_HEADER;
    // An MSS option is 4 bytes, so fewer than 4 remaining bytes cannot hold one.
    while (end - p >= 4) {
      int kind = packet.get(p) & 0xff;
      if (kind == OPTION_END || kind == OPTION_NOP) {
        p++;
        continue;
      }
      int optionLength = packet.get(p + 1) & 0xff;
      if (kind == OPTION_MSS) {
        if (optionLength != 4) {
          return NOT_CLAMPED;
        }
        int existing = InsidePacket.u16(packet, p + 2);
        if (existing <= mss) {
          return NOT_CLAMPED;
        }
        InsidePacket.putU16(packet, p + 2, mss);
        int checksum = InsidePacket.u16(packet, tcp + TCP_CHECKSUM);
        InsidePacket.putU16(packet, tcp + TCP_CHECKSUM, Checksum.update(checksum, existing, mss));
        return existing;
      }
      if (optionLength < 2) {
        return NOT_CLAMPED; // a length below 2 cannot advance: the options are malformed
      }
      p += optionLength;
    }
    return NOT_CLAMPED;
  }
}
