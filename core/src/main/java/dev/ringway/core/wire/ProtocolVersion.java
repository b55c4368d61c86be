package dev.ringway.core.wire;

/**
 * A Lightway protocol version. Any pair of bytes can be represented (so an invalid version seen on
 * the wire can be reported), but only 1.1–1.3 are {@linkplain #isSupported() supported}.
 */
public record ProtocolVersion(int major, int minor) implements Comparable<ProtocolVersion> {
  public static final ProtocolVersion V1_1 = new ProtocolVersion(1, 1);
  public static final ProtocolVersion V1_2 = new ProtocolVersion(1, 2);
  public static final ProtocolVersion V1_3 = new ProtocolVersion(1, 3);
  public static final ProtocolVersion MINIMUM = V1_1;
  public static final ProtocolVersion MAXIMUM = V1_3;

  public ProtocolVersion {
    if (major < 0 || major > 255 || minor < 0 || minor > 255) {
      throw new IllegalArgumentException("version bytes must be 0..255: " + major + "." + minor);
    }
  }

  public boolean isSupported() {
    return compareTo(MINIMUM) >= 0 && compareTo(MAXIMUM) <= 0;
  }

  /**
   * The supported version with these bytes, without allocating.
   *
   * @throws WireException {@link WireError#INVALID_PROTOCOL_VERSION} outside 1.1–1.3
   */
  public static ProtocolVersion parse(int major, int minor) throws WireException {
    if (major == 1) {
      switch (minor) {
        case 1 -> {
          return V1_1;
        }
        case 2 -> {
          return V1_2;
        }
        case 3 -> {
          return V1_3;
        }
        default -> {}
      }
    }
    throw new WireException(
        WireError.INVALID_PROTOCOL_VERSION,
        "protocol version " + major + "." + minor + " is not supported (1.1 to 1.3)");
  }

  /**
   * Parses "major.minor" text, e.g. from configuration.
   *
   * @throws IllegalArgumentException if the text is not a supported version
   */
  public static ProtocolVersion parse(String text) {
    int dot = text.indexOf('.');
    try {
      if (dot > 0) {
        return parse(
            Integer.parseInt(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1)));
      }
    } catch (NumberFormatException | WireException e) {
      throw new IllegalArgumentException("not a supported Lightway version: " + text, e);
    }
    throw new IllegalArgumentException("not a Lightway version (major.minor): " + text);
  }

  @Override
  public int compareTo(ProtocolVersion o) {
    return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
