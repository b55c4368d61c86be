package dev.ringway.core.wire;

/** The Expresslane AAD layout a peer speaks; any unrecognised byte reads as {@link #UNKNOWN}. */
public enum ExpresslaneVersion {
  UNKNOWN(0),
  V1(1),
  V2(2);

  private final int code;

  ExpresslaneVersion(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static ExpresslaneVersion of(int code) {
    return switch (code) {
      case 1 -> V1;
      case 2 -> V2;
      default -> UNKNOWN;
    };
  }
}
