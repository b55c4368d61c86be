package dev.ringway.testkit.wolfssl;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The datagrams under one {@link DtlsClient}: wolfSSL's send and receive callbacks call these, on
 * the thread that called into wolfSSL. The implementation owns the socket, so it may wrap what goes
 * out and unwrap what comes in.
 */
public interface DatagramIo {
  /** Sends {@code datagram} (its remaining bytes) as one datagram. */
  void send(ByteBuffer datagram) throws IOException;

  /**
   * The next received datagram's DTLS bytes, or null when none is queued: wolfSSL then reports
   * {@code WANT_READ} and the caller waits for the socket itself.
   */
  ByteBuffer receive() throws IOException;
}
