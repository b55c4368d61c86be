package dev.ringway.core.wire;

import java.util.Objects;

/**
 * Bytes that are not a valid Lightway header or frame. It carries no stack trace: a malformed
 * datagram is an expected event that is counted and dropped, not a programming error.
 */
public final class WireException extends Exception {
  private final WireError error;

  public WireException(WireError error, String detail) {
    super(detail, null, false, false);
    this.error = Objects.requireNonNull(error);
  }

  public WireError error() {
    return error;
  }

  /** The human-readable detail, e.g. "frame kind 0x7f is unknown". */
  public String detail() {
    return getMessage();
  }

  @Override
  public String toString() {
    return error.wireName() + ": " + getMessage();
  }
}
