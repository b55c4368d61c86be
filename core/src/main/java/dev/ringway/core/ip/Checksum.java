package dev.ringway.core.ip;

/** Internet checksum arithmetic (RFC 1071 one's complement, RFC 1624 incremental update). */
final class Checksum {
  private Checksum() {}

  /**
   * The checksum after one 16-bit word of the covered data changes from {@code oldWord} to {@code
   * newWord}: RFC 1624 eqn. 4, {@code HC' = HC - ~m - m'}, with each subtraction borrowing
   * end-around. This is exactly Lightway's arithmetic, so translated packets match its bytes.
   */
  static int update(int checksum, int oldWord, int newWord) {
    return subtract(subtract(checksum, ~oldWord & 0xffff), newWord & 0xffff);
  }

  /** Applies {@link #update} for both halves of a changed 32-bit address. */
  static int updateAddress(int checksum, int oldAddress, int newAddress) {
    int c = update(checksum, oldAddress >>> 16, newAddress >>> 16);
    return update(c, oldAddress & 0xffff, newAddress & 0xffff);
  }

  private static int subtract(int a, int b) {
    int difference = a - b;
    return difference < 0 ? (difference - 1) & 0xffff : difference;
  }
}
