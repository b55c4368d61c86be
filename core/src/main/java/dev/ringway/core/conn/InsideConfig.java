package dev.ringway.core.conn;

import dev.ringway.core.wire.AuthSuccessWithConfigV4;

/** What a client learned from the server's AuthSuccessWithConfigV4: how to set up its TUN. */
public record InsideConfig(String localIp, String peerIp, String dnsIp, String mtu) {
  static InsideConfig of(AuthSuccessWithConfigV4 success) {
    return new InsideConfig(success.localIp(), success.peerIp(), success.dnsIp(), success.mtu());
  }
}
