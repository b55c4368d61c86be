package dev.ringway.core.expresslane;

/**
 * What became of one received Expresslane datagram. Only the first two deliver an inside packet;
 * every other outcome is a drop the session has already counted.
 */
public enum OpenResult {
  /** An authentic, fresh inside packet, written to the output buffer. */
  INSIDE,
  /** As {@link #INSIDE}, but the sender marked it codec-encoded. */
  INSIDE_ENCODED,
  /** Shorter than its header, or than the length the header claims. */
  INSUFFICIENT_DATA,
  /** The counter was seen already, is 0, or is too far behind the window. */
  REPLAYED,
  /** No receive key is installed. */
  NO_KEY,
  /** Neither the current nor the previous receive key authenticates it. */
  DECRYPT_FAILED,
  /** Authentic or not, it claims more plaintext than the output buffer holds. */
  OVERSIZED;

  /** Whether an inside packet was delivered. */
  public boolean delivered() {
    return this == INSIDE || this == INSIDE_ENCODED;
  }
}
