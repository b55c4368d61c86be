package dev.ringway.core.wire;

import java.util.Arrays;
import java.util.Objects;

/** The answer to a {@link Ping}, echoing its id; payload empty except Expresslane statistics. */
public record Pong(int id, byte[] payload) implements Frame {
  private static final byte[] EMPTY_PAYLOAD = new byte[0];

  public Pong {
    Bytes.requireU16(id, "Pong id");
    Objects.requireNonNull(payload);
    Bytes.requireLength(payload, 0xffff, "Pong payload");
  }

  public Pong(int id) {
    this(id, EMPTY_PAYLOAD);
  }

  @Override
  public FrameKind kind() {
    return FrameKind.PONG;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pong other && id == other.id && Arrays.equals(payload, other.payload);
  }

  @Override
  public int hashCode() {
    return 31 * id + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "Pong[id=" + id + ", payload=" + Bytes.hex(payload) + "]";
  }
}
