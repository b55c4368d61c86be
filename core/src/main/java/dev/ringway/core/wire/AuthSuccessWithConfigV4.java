package dev.ringway.core.wire;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Server → client: authenticated, here is the inside configuration (digest §2.6). Four short
 * strings in fixed NUL-padded 24-byte slots, then the session id the client should adopt.
 */
public record AuthSuccessWithConfigV4(
    String localIp, String peerIp, String dnsIp, String mtu, SessionId session) implements Frame {
  /** Each string has 24 bytes on the wire, the last always its terminating NUL. */
  public static final int MAX_STRING_BYTES = 23;

  static final int SLOT_SIZE = MAX_STRING_BYTES + 1;
  static final int BODY_SIZE = 4 * SLOT_SIZE + 8;

  public AuthSuccessWithConfigV4 {
    requireSlotString(localIp, "localIp");
    requireSlotString(peerIp, "peerIp");
    requireSlotString(dnsIp, "dnsIp");
    requireSlotString(mtu, "mtu");
    Objects.requireNonNull(session);
  }

  @Override
  public FrameKind kind() {
    return FrameKind.AUTH_SUCCESS_WITH_CONFIG_V4;
  }

  private static void requireSlotString(String s, String what) {
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " must not contain NUL");
    }
    int length = s.getBytes(StandardCharsets.UTF_8).length;
    if (length > MAX_STRING_BYTES) {
      throw new IllegalArgumentException(
          what + " is " + length + " UTF-8 bytes, at most " + MAX_STRING_BYTES);
    }
  }
}
