package dev.ringway.core.wire;

import java.util.Arrays;

/**
 * The Expresslane anti-replay window (digest §2.14): a sliding bitmap of the last 8192 counters
 * below the highest accepted one. Counter 0 is never valid. Check with {@link #isFresh} before
 * decrypting and call {@link #accept} only after the packet authenticated, so forged packets cannot
 * move the window.
 */
public final class ReplayWindow {
  public static final int SIZE = 8192;

  private final long[] bits = new long[SIZE / 64];
  private long highest;

  /** Whether {@code counter} (an unsigned u64) has not been seen and is not too old. */
  public boolean isFresh(long counter) {
    if (counter == 0) {
      return false;
    }
    if (Long.compareUnsigned(counter, highest) > 0) {
      return true;
    }
    if (Long.compareUnsigned(highest - counter, SIZE - 1) > 0) {
      return false;
    }
    return !seen(counter);
  }

  /**
   * Records an authenticated counter; a counter that is not {@linkplain #isFresh fresh} is ignored.
   */
  public void accept(long counter) {
    if (!isFresh(counter)) {
      return;
    }
    if (Long.compareUnsigned(counter, highest) > 0) {
      long advance = counter - highest;
      if (Long.compareUnsigned(advance, SIZE) >= 0) {
        Arrays.fill(bits, 0L);
      } else {
        for (long c = highest + 1; c != counter; c++) {
          clear(c);
        }
      }
      highest = counter;
    }
    set(counter);
  }

  private boolean seen(long counter) {
    int bit = (int) (counter & (SIZE - 1));
    return (bits[bit >>> 6] & (1L << bit)) != 0;
  }

  private void set(long counter) {
    int bit = (int) (counter & (SIZE - 1));
    bits[bit >>> 6] |= 1L << bit;
  }

  private void clear(long counter) {
    int bit = (int) (counter & (SIZE - 1));
    bits[bit >>> 6] &= ~(1L << bit);
  }
}
