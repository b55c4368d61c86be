package dev.ringway.core.wire;

import java.util.Arrays;
import java.util.Objects;

/** Server → client opaque configuration; the stock server never sends it and clients ignore it. */
public record ServerConfig(byte[] data) implements Frame {
  /** 1350 − 2 length bytes. */
  public static final int MAX_DATA_BYTES = 1348;

  public ServerConfig {
    Objects.requireNonNull(data);
    Bytes.requireLength(data, MAX_DATA_BYTES, "server config");
  }

  @Override
  public FrameKind kind() {
    return FrameKind.SERVER_CONFIG;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServerConfig other && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "ServerConfig[data=" + Bytes.hex(data) + "]";
  }
}
