package dev.ringway.core.ip;

import java.nio.ByteBuffer;

/**
 * Rewrites the source or destination of an inside IPv4 packet in place (digest §5.2–§5.3). Every
 * client uses the same static inside address; the server swaps it for the client's pool address on
 * the way to the TUN and back on the way to the client.
 *
 * <p>Checksums are patched incrementally (RFC 1624): the IPv4 header always; for the first (or
 * only) fragment also the TCP checksum and a non-zero UDP checksum, whose pseudo-header covers the
 * addresses. ICMP has no pseudo-header; other protocols are left alone. The packet must have passed
 * {@link InsidePacket#check}.
 */
public final class AddressTranslation {
  private static final int SOURCE = 12;
  private static final int DESTINATION = 16;
  private static final int HEADER_CHECKSUM = 10;
  private static final int TCP_CHECKSUM = 16;
  private static final int TCP_HEADER = 20;
  private static final int UDP_CHECKSUM = 6;
  private static final int UDP_HEADER = 8;

  private AddressTranslation() {}

  /** Client → TUN: the static client address becomes the connection's pool address. */
  public static void rewriteSource(ByteBuffer packet, int offset, int length, int newSource) {
    rewrite(packet, offset, length, SOURCE, newSource);
  }

  /** TUN → client: the pool address becomes the static client address. */
  public static void rewriteDestination(
      ByteBuffer packet, int offset, int length, int newDestination) {
    rewrite(packet, offset, length, DESTINATION, newDestination);
  }

  private static void rewrite(ByteBuffer packet, int offset, int length, int field, int address) {
    if (InsidePacket.check(packet, offset, length) != InsidePacket.Verdict.VALID) {
      throw new IllegalArgumentException("not a valid IPv4 packet; check it first");
    }
    int old = InsidePacket.u32(packet, offset + field);
    if (old == address) {
      return;
    }
    InsidePacket.putU16(packet, offset + field, address >>> 16);
    InsidePacket.putU16(packet, offset + field + 2, address & 0xffff);
    patch(packet, offset + HEADER_CHECKSUM, old, address);

    if (InsidePacket.fragmentOffset(packet, offset) != 0) {
      return; // later fragments carry no transport header
    }
    int transport = offset + InsidePacket.headerLength(packet, offset);
    int transportLength =
        Math.min(InsidePacket.totalLength(packet, offset), length)
            - InsidePacket.headerLength(packet, offset);
    switch (InsidePacket.protocol(packet, offset)) {
      case InsidePacket.PROTOCOL_TCP -> {
        if (transportLength >= TCP_HEADER) {
          patch(packet, transport + TCP_CHECKSUM, old, address);
        }
      }
      case InsidePacket.PROTOCOL_UDP -> {
        // A zero UDP checksum means "none" and must stay zero.
        if (transportLength >= UDP_HEADER
            && InsidePacket.u16(packet, transport + UDP_CHECKSUM) != 0) {
          patch(packet, transport + UDP_CHECKSUM, old, address);
        }
      }
      default -> {}
    }
  }

  private static void patch(ByteBuffer packet, int index, int oldAddress, int newAddress) {
    int checksum = InsidePacket.u16(packet, index);
    InsidePacket.putU16(packet, index, Checksum.updateAddress(checksum, oldAddress, newAddress));
  }
}
