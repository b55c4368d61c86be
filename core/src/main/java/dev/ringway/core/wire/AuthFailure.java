package dev.ringway.core.wire;

/**
 * Server → client: authentication was refused. On the wire it is 52 zero bytes and carries no
 * reason (it is the remnant of a C struct whose status and message were always empty).
 */
public record AuthFailure() implements Frame {
  public static final AuthFailure INSTANCE = new AuthFailure();
  static final int BODY_SIZE = 52;

  @Override
  public FrameKind kind() {
    return FrameKind.AUTH_FAILURE;
  }
}
