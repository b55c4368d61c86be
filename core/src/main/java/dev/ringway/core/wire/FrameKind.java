package dev.ringway.core.wire;

/** The kind byte that starts every frame (digest §2.1). Codes 8–11, 13 and 21+ are unknown. */
public enum FrameKind {
  NO_OP(1, "NoOp"),
  PING(2, "Ping"),
  PONG(3, "Pong"),
  AUTH_REQUEST(4, "AuthRequest"),
  DATA(5, "Data"),
  AUTH_SUCCESS_WITH_CONFIG_V4(6, "AuthSuccessWithConfigV4"),
  AUTH_FAILURE(7, "AuthFailure"),
  GOODBYE(12, "Goodbye"),
  SERVER_CONFIG(14, "ServerConfig"),
  DATA_FRAG(15, "DataFrag"),
  ENCODED_DATA(16, "EncodedData"),
  ENCODED_DATA_FRAG(17, "EncodedDataFrag"),
  ENCODING_REQUEST(18, "EncodingRequest"),
  ENCODING_RESPONSE(19, "EncodingResponse"),
  EXPRESSLANE_CONFIG(20, "ExpresslaneConfig");

  private static final FrameKind[] BY_CODE = new FrameKind[256];

  static {
    for (FrameKind kind : values()) {
      BY_CODE[kind.code] = kind;
    }
  }

  private final int code;
  private final String wireName;

  FrameKind(int code, String wireName) {
    this.code = code;
    this.wireName = wireName;
  }

  public int code() {
    return code;
  }

  /** The kind's name as the digest and {@code ./ringway decode} spell it, e.g. "AuthRequest". */
  public String wireName() {
    return wireName;
  }

  /** Whether frames of this kind carry an inside packet (whole or a fragment of one). */
  public boolean carriesData() {
    return this == DATA || this == ENCODED_DATA || this == DATA_FRAG || this == ENCODED_DATA_FRAG;
  }

  /** Whether frames of this kind carry an inside packet encoded by the optional packet codec. */
  public boolean isEncoded() {
    return this == ENCODED_DATA || this == ENCODED_DATA_FRAG;
  }

  /**
   * The kind with this code.
   *
   * @throws WireException {@link WireError#UNKNOWN_FRAME_TYPE} for an unknown code
   */
  public static FrameKind of(int code) throws WireException {
    FrameKind kind = code >= 0 && code < 256 ? BY_CODE[code] : null;
    if (kind == null) {
      throw new WireException(
          WireError.UNKNOWN_FRAME_TYPE, String.format("frame kind 0x%02x is unknown", code));
    }
    return kind;
  }

  public static boolean isKnown(int code) {
    return code >= 0 && code < 256 && BY_CODE[code] != null;
  }
}
