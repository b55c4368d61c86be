package dev.ringway.loop;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** Hears each outside datagram, on either engine. Loop thread only. */
@FunctionalInterface
public interface DatagramReceiver {
  /**
   * One datagram: {@code view} holds it (position 0, limit {@code length}) and is valid only during
   * the call. {@code sender} is the same object for the same sender as long as the engine can keep
   * it (so it may key a map without allocating); {@code localIpv4} is the local IPv4 address the
   * datagram was sent to, or 0 where the engine cannot tell (nio: no {@code IP_PKTINFO}).
   */
  void datagram(ByteBuffer view, int length, InetSocketAddress sender, int localIpv4);
}
