package dev.ringway.core.wire;

/** Client → server: switch the optional inside-packet codec on or off (digest §2.11). */
public record EncodingRequest(long id, boolean enable) implements Frame {
  @Override
  public FrameKind kind() {
    return FrameKind.ENCODING_REQUEST;
  }
}
