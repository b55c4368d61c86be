package dev.ringway.core.ip;

/**
 * An IPv4 network such as {@code 10.125.0.0/16}. Host bits given in the text are cleared, so {@code
 * 10.125.0.1/16} names the same network.
 */
public record Ipv4Cidr(int network, int prefixLength) {
  public Ipv4Cidr {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("prefix length must be 0..32: " + prefixLength);
    }
    network &= mask(prefixLength);
  }

  /**
   * Parses "a.b.c.d/n".
   *
   * @throws IllegalArgumentException naming the text if it is not a CIDR block
   */
  public static Ipv4Cidr parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR block (a.b.c.d/n): " + text);
    }
    String prefix = text.substring(slash + 1);
    if (prefix.isEmpty() || prefix.length() > 2 || !prefix.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("not a CIDR prefix length: " + text);
    }
    return new Ipv4Cidr(
        Ipv4Address.parse(text.substring(0, slash)).value(), Integer.parseInt(prefix));
  }

  private static int mask(int prefixLength) {
    return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
  }

  /** Number of addresses in the block, network and broadcast included. */
  public long size() {
    return 1L << (32 - prefixLength);
  }

  public int broadcast() {
    return network | ~mask(prefixLength);
  }

  public boolean contains(int address) {
    return (address & mask(prefixLength)) == network;
  }

  public boolean contains(Ipv4Address address) {
    return contains(address.value());
  }

  /** Whether every address of {@code other} is in this block. */
  public boolean contains(Ipv4Cidr other) {
    return other.prefixLength >= prefixLength && contains(other.network);
  }

  @Override
  public String toString() {
    return Ipv4Address.format(network) + "/" + prefixLength;
  }
}
