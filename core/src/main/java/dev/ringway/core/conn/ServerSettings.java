package dev.ringway.core.conn;

import dev.ringway.core.ip.Ipv4Address;

/**
 * What a server tells every client in AuthSuccessWithConfigV4 (digest §2.6, §5.2): the same static
 * inside addresses for all, made unique on the server by address translation, and the inside MTU.
 */
public record ServerSettings(
    Ipv4Address clientIp, Ipv4Address serverIp, Ipv4Address dnsIp, int insideMtu) {
  public ServerSettings {
    if (insideMtu < 68 || insideMtu > 65535) {
      throw new IllegalArgumentException("inside MTU out of range: " + insideMtu);
    }
  }

  /** Lightway's defaults: client 10.125.0.5, server 10.125.0.6, DNS 10.125.0.1, MTU 1350. */
  public static ServerSettings defaults() {
    return new ServerSettings(
        Ipv4Address.parse("10.125.0.5"),
        Ipv4Address.parse("10.125.0.6"),
        Ipv4Address.parse("10.125.0.1"),
        1350);
  }
}
