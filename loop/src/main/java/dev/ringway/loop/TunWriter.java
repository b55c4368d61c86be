package dev.ringway.loop;

/**
 * Writes inside packets to the TUN device: through the ring, or with a plain {@code write(2)} on
 * nio. Loop thread only.
 */
public interface TunWriter {
  /**
   * Writes the first {@code length} bytes of {@code slot}'s buffer as one packet; the slot goes
   * back to its pool once the write is done (at once on nio, at its completion on io_uring).
   */
  void write(TxPool.Slot slot, int length);
}
