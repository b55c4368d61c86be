package dev.ringway.core.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An Expresslane key announcement or its acknowledgement (digest §2.12, §3.11). An all-zero key
 * means "no key".
 */
public record ExpresslaneConfig(
    ExpresslaneVersion version, boolean enabled, boolean ack, long counter, byte[] key)
    implements Frame {
  public static final int KEY_BYTES = 32;
  static final int BODY_SIZE = 44;
  static final int FLAG_ENABLED = 0x80;
  static final int FLAG_ACK = 0x40;

  public ExpresslaneConfig {
    Objects.requireNonNull(version);
    Objects.requireNonNull(key);
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("an Expresslane key is 32 bytes, got " + key.length);
    }
  }

  @Override
  public FrameKind kind() {
    return FrameKind.EXPRESSLANE_CONFIG;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExpresslaneConfig other
        && version == other.version
        && enabled == other.enabled
        && ack == other.ack
        && counter == other.counter
        && Arrays.equals(key, other.key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, enabled, ack, counter, Arrays.hashCode(key));
  }

  /** The key is a secret: only whether it is set is printed. */
  @Override
  public String toString() {
    boolean keySet = !Arrays.equals(key, new byte[KEY_BYTES]);
    return "ExpresslaneConfig[version="
        + version
        + ", enabled="
        + enabled
        + ", ack="
        + ack
        + ", counter="
        + HexFormat.of().toHexDigits(counter)
        + ", key="
        + (keySet ? "<set>" : "<none>")
        + "]";
  }
}
