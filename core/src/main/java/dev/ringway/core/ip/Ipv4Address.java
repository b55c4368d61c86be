package dev.ringway.core.ip;

/** An IPv4 address held as its big-endian 32-bit value, as it appears in a packet header. */
public record Ipv4Address(int value) implements Comparable<Ipv4Address> {

  /**
   * Parses strict dotted-quad text ("10.125.0.5"): four decimal numbers 0..255, nothing else.
   *
   * @throws IllegalArgumentException naming the text if it is not an IPv4 address
   */
  public static Ipv4Address parse(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address (a.b.c.d): " + text);
    }
    int value = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("not an IPv4 address (a.b.c.d): " + text);
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        throw new IllegalArgumentException("IPv4 address octet above 255: " + text);
      }
      value = (value << 8) | octet;
    }
    return new Ipv4Address(value);
  }

  /** Dotted-quad text of a raw address value. */
  public static String format(int value) {
    return (value >>> 24)
        + "."
        + ((value >>> 16) & 0xff)
        + "."
        + ((value >>> 8) & 0xff)
        + "."
        + (value & 0xff);
  }

  @Override
  public int compareTo(Ipv4Address o) {
    return Integer.compareUnsigned(value, o.value);
  }

  @Override
  public String toString() {
    return format(value);
  }
}
