package dev.ringway.client;

import dev.ringway.core.conn.Connection;
import dev.ringway.core.conn.InsideConfig;
import dev.ringway.core.ip.Ipv4Address;
import dev.ringway.core.tls.Transport;
import dev.ringway.loop.TxPool;
import java.net.Inet4Address;
import java.util.Optional;

/**
 * How the TUN device is set up from the server's AuthSuccessWithConfigV4: the granted address, with
 * the shortest prefix that still holds the server's inside address (peer_ip), so the kernel routes
 * the peer through the tunnel without a separate route; and the server's MTU, capped by the
 * client's own limit and by what the transport carries: one datagram over UDP, one TX slot over
 * TCP.
 *
 * <p>Lightway servers grant 10.125.0.5 with peer 10.125.0.6, which gives 10.125.0.5/30. A peer
 * farther away than a /24 would make the prefix swallow unrelated networks, so then the address
 * gets a /32 and the peer is left to the operator's routes.
 */
record InsideNetwork(Inet4Address address, int prefixLength, int mtu) {
  static final int WIDEST_PREFIX = 24;
  private static final int MIN_MTU = 576;

  /**
   * Over TCP the stream takes packets of any size, but each TUN read and write goes through one TX
   * slot.
   */
  private static final int MAX_STREAM_INSIDE_PACKET = TxPool.SLOT_BYTES;

  /** The outcome of {@link #from}. */
  sealed interface Result {
    record Usable(InsideNetwork network) implements Result {}

    record Unusable(String reason) implements Result {}
  }

  /**
   * The TUN settings for {@code config} over {@code transport}, or why it cannot be used. The MTU
   * is the server's, lowered to {@code mtuLimit} (the client's {@code network.mtu}) and to what the
   * transport carries in one piece when those are smaller.
   */
  static Result from(InsideConfig config, int mtuLimit, Transport transport) {
    Optional<Ipv4Address> local = parse(config.localIp());
    if (local.isEmpty()) {
      return new Result.Unusable("local_ip '" + config.localIp() + "' is not an IPv4 address");
    }
    int mtu;
    try {
      mtu = Integer.parseInt(config.mtu().strip());
    } catch (NumberFormatException e) {
      return new Result.Unusable("mtu '" + config.mtu() + "' is not a number");
    }
    if (mtu < MIN_MTU) {
      return new Result.Unusable("mtu " + mtu + " is below " + MIN_MTU);
    }
    int prefix =
        parse(config.peerIp())
            .map(peer -> Integer.numberOfLeadingZeros(peer.value() ^ local.get().value()))
            .filter(common -> common >= WIDEST_PREFIX && common < 32)
            .orElse(32);
    Inet4Address address = Inet4Address.ofLiteral(local.get().toString());
    int carried =
        transport == Transport.DATAGRAM
            ? Connection.MAX_DATAGRAM_INSIDE_PACKET
            : MAX_STREAM_INSIDE_PACKET;
    int limit = Math.min(mtuLimit, carried);
    return new Result.Usable(new InsideNetwork(address, prefix, Math.min(mtu, limit)));
  }

  private static Optional<Ipv4Address> parse(String text) {
    try {
      return Optional.of(Ipv4Address.parse(text.strip()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
