package dev.ringway.config;

import java.net.Inet4Address;

/** An IPv4 network: its address with the host bits zero, and the prefix length. */
public record Cidr(Inet4Address network, int prefixLength) {

  /** True when {@code address} lies inside this network. */
  public boolean contains(Inet4Address address) {
    return (toInt(address) & mask(prefixLength)) == toInt(network);
  }

  static int toInt(Inet4Address address) {
    byte[] b = address.getAddress();
    return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
  }

  static int mask(int prefixLength) {
    return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }
}
