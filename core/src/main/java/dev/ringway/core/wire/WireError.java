package dev.ringway.core.wire;

/** Why bytes could not be decoded; names and meanings follow Lightway's {@code FromWireError}. */
public enum WireError {
  INSUFFICIENT_DATA("InsufficientData", false),
  INVALID_MAGIC_NUMBER("InvalidMagicNumber", true),
  INVALID_ENUM_ENCODING("InvalidEnumEncoding", true),
  UNKNOWN_FRAME_TYPE("UnknownFrameType", false),
  INVALID_STRING_ENCODING("InvalidStringEncoding", true),
  FIELD_TOO_LARGE("FieldTooLarge", true),
  INVALID_PROTOCOL_VERSION("InvalidProtocolVersion", false),
  INVALID_BOOL("InvalidBool", true),
  INVALID_EXPRESS_DATA_PATH("InvalidExpressDataPath", true),
  INVALID_EXPRESS_DATA("InvalidExpressData", false),
  REPLAYED_EXPRESS_DATA("ReplayedExpressData", false);

  private final String wireName;
  private final boolean fatalOnDatagram;

  WireError(String wireName, boolean fatalOnDatagram) {
    this.wireName = wireName;
    this.fatalOnDatagram = fatalOnDatagram;
  }

  /**
   * The error's name as the digest and {@code ./ringway decode} spell it, e.g. "InsufficientData".
   */
  public String wireName() {
    return wireName;
  }

  /**
   * Whether a UDP connection must be torn down for this error (digest §3.4). Over TCP every error
   * is fatal; over UDP only these five are tolerated: InsufficientData, UnknownFrameType,
   * InvalidProtocolVersion, InvalidExpressData and ReplayedExpressData.
   */
  public boolean fatalOnDatagram() {
    return fatalOnDatagram;
  }
}
