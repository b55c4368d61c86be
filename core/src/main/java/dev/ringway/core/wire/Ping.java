package dev.ringway.core.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * Keepalive (id 0; empty or 16 bytes of Expresslane statistics) or PMTU probe (id != 0, zero
 * padding).
 */
public record Ping(int id, byte[] payload) implements Frame {
  private static final byte[] EMPTY_PAYLOAD = new byte[0];

  public Ping {
    Bytes.requireU16(id, "Ping id");
    Objects.requireNonNull(payload);
    Bytes.requireLength(payload, 0xffff, "Ping payload");
  }

  public Ping(int id) {
    this(id, EMPTY_PAYLOAD);
  }

  @Override
  public FrameKind kind() {
    return FrameKind.PING;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ping other && id == other.id && Arrays.equals(payload, other.payload);
  }

  @Override
  public int hashCode() {
    return 31 * id + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "Ping[id=" + id + ", payload=" + Bytes.hex(payload) + "]";
  }
}
