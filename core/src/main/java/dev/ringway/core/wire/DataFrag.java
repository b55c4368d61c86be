package dev.ringway.core.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * A piece of an inside packet (kind 15, or 17 when {@code encoded}), digest §2.8. {@code offset} is
 * in bytes, a multiple of 8 up to {@link #MAX_OFFSET}; {@code moreFragments} is the MF flag.
 */
public record DataFrag(
    boolean encoded, int fragmentId, int offset, boolean moreFragments, byte[] payload)
    implements Frame {
  public static final int MAX_OFFSET = 0xfff8;
  static final int MORE_FRAGMENTS = 0x2000;
  static final int OFFSET_MASK = 0x1fff;

  public DataFrag {
    Bytes.requireU16(fragmentId, "fragment id");
    offsetWord(offset, moreFragments);
    Objects.requireNonNull(payload);
    Bytes.requireLength(payload, 0xffff, "DataFrag payload");
  }

  @Override
  public FrameKind kind() {
    return encoded ? FrameKind.ENCODED_DATA_FRAG : FrameKind.DATA_FRAG;
  }

  /**
   * The offset/flags word of the wire format: offset / 8 in the low 13 bits, MF as 0x2000.
   *
   * @throws IllegalArgumentException if the offset is negative, above 0xfff8 or not a multiple of 8
   */
  public static int offsetWord(int offset, boolean moreFragments) {
    if (offset < 0 || offset > MAX_OFFSET || (offset & 7) != 0) {
      throw new IllegalArgumentException(
          "fragment offset must be a multiple of 8 in 0..65528: " + offset);
    }
    return (offset >>> 3) | (moreFragments ? MORE_FRAGMENTS : 0);
  }

  /** The byte offset encoded in an offset/flags word (the top two bits are ignored). */
  public static int offsetOf(int word) {
    return (word & OFFSET_MASK) << 3;
  }

  /** The MF flag of an offset/flags word. */
  public static boolean moreFragmentsOf(int word) {
    return (word & MORE_FRAGMENTS) != 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataFrag other
        && encoded == other.encoded
        && fragmentId == other.fragmentId
        && offset == other.offset
        && moreFragments == other.moreFragments
        && Arrays.equals(payload, other.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(encoded, fragmentId, offset, moreFragments, Arrays.hashCode(payload));
  }

  @Override
  public String toString() {
    return "DataFrag[encoded="
        + encoded
        + ", fragmentId="
        + fragmentId
        + ", offset="
        + offset
        + ", moreFragments="
        + moreFragments
        + ", payload="
        + Bytes.hex(payload)
        + "]";
  }
}
