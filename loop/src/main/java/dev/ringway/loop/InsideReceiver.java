package dev.ringway.loop;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** Hears each inside packet the TUN device gave the loop, on either engine. Loop thread only. */
@FunctionalInterface
public interface InsideReceiver {
  /**
   * One packet. {@code packet} holds it in its first {@code length} bytes and {@code view} is the
   * same memory as a ByteBuffer (position 0, limit {@code length}); both are valid only during the
   * call.
   */
  void packet(MemorySegment packet, ByteBuffer view, int length);
}
