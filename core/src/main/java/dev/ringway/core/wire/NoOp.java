package dev.ringway.core.wire;

/** A frame with no body that receivers ignore. */
public record NoOp() implements Frame {
  public static final NoOp INSTANCE = new NoOp();

  @Override
  public FrameKind kind() {
    return FrameKind.NO_OP;
  }
}
