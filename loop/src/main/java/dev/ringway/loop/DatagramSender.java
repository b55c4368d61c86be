package dev.ringway.loop;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Sends outside datagrams from {@link TxPool} slots, on either engine. Either way the slot goes
 * back to the pool once the datagram has left (or failed); the caller never touches it again. Loop
 * thread only.
 */
public interface DatagramSender {
  /** Sends the first {@code length} bytes of {@code slot}'s buffer to {@code peer}. */
  void send(TxPool.Slot slot, int length, DatagramPeer peer);

  /**
   * Sends to an address that is not a known peer (a reject notice), from {@code localIpv4} when
   * non-zero and the engine can choose the source address.
   */
  void sendTo(TxPool.Slot slot, int length, InetSocketAddress address, int localIpv4);

  /** Sets {@code SO_SNDBUF} and {@code SO_RCVBUF} of the socket. */
  void setSocketBuffer(int bytes) throws IOException;

  /**
   * {@code SO_RCVBUF} as far as the kernel granted it ({@code net.core.rmem_max} caps it), in the
   * units it was set in: Linux reports twice that (its bookkeeping overhead), which is halved here
   * as {@code DatagramChannel} does.
   */
  int receiveBuffer() throws IOException;
}
