package dev.ringway.core.frag;

import dev.ringway.core.wire.DataFrag;
import dev.ringway.core.wire.FrameCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inside packet too large for one Data frame into DataFrag frames (digest §7.1). Only a
 * client with a PMTU result fragments; the server never does. One per connection: it owns the
 * wrapping 16-bit fragment id counter, pre-incremented so the first id is 1.
 */
public final class Fragmenter {
  private int lastId;

  /** Whether a packet of this length needs fragmenting at this packetization-layer MTU. */
  public static boolean needsFragmenting(int packetLength, int plpmtu) {
    return packetLength > FrameCodec.maxDataPayload(plpmtu);
  }

  /**
   * Cuts {@code [offset, offset + length)} of {@code packet} into chunks of {@link
   * FrameCodec#maxFragmentChunk(int)} bytes sharing one fresh fragment id; MF is set on all but the
   * last.
   *
   * @throws IllegalArgumentException if the packet is empty or longer than 65535 bytes, or the MTU
   *     is too small for fragments
   */
  public List<DataFrag> split(
      ByteBuffer packet, int offset, int length, int plpmtu, boolean encoded) {
    if (length <= 0 || length > 0xffff) {
      throw new IllegalArgumentException("cannot fragment a packet of " + length + " bytes");
    }
    int chunk = FrameCodec.maxFragmentChunk(plpmtu);
    lastId = (lastId + 1) & 0xffff;
    List<DataFrag> fragments = new ArrayList<>(length / chunk + 1);
    for (int start = 0; start < length; start += chunk) {
      int size = Math.min(chunk, length - start);
      byte[] bytes = new byte[size];
      packet.get(offset + start, bytes);
      fragments.add(new DataFrag(encoded, lastId, start, start + size < length, bytes));
    }
    return fragments;
  }
}
