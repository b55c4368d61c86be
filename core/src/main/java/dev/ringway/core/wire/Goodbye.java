package dev.ringway.core.wire;

/** "I am hanging up": the receiver disconnects. No body. */
public record Goodbye() implements Frame {
  public static final Goodbye INSTANCE = new Goodbye();

  @Override
  public FrameKind kind() {
    return FrameKind.GOODBYE;
  }
}
