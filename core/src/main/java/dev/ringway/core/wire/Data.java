package dev.ringway.core.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * One whole inside IPv4 packet (kind 5), or a codec-encoded one (kind 16, {@code encoded}). The
 * data path never builds this record: it reads Data through {@link FrameCursor} and writes the
 * header with {@link FrameCodec#encodeDataHeader}.
 */
public record Data(boolean encoded, byte[] payload) implements Frame {
  public Data {
    Objects.requireNonNull(payload);
    Bytes.requireLength(payload, 0xffff, "Data payload");
  }

  public Data(byte[] payload) {
    this(false, payload);
  }

  @Override
  public FrameKind kind() {
    return encoded ? FrameKind.ENCODED_DATA : FrameKind.DATA;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Data other
        && encoded == other.encoded
        && Arrays.equals(payload, other.payload);
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(encoded) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "Data[encoded=" + encoded + ", payload=" + Bytes.hex(payload) + "]";
  }
}
