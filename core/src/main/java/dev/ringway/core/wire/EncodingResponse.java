package dev.ringway.core.wire;

/** Server → client: the codec state now in force, echoing the request's id (digest §2.11). */
public record EncodingResponse(long id, boolean enable) implements Frame {
  @Override
  public FrameKind kind() {
    return FrameKind.ENCODING_RESPONSE;
  }
}
