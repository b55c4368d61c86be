package dev.ringway.core.dtls;

import java.nio.ByteBuffer;

/**
 * Per-thread working memory for sealing, opening and framing records. Nothing in it outlives one
 * call into a session, so every session a thread drives shares one set (about 50 KB) instead of
 * carrying its own: a server with ten thousand peers keeps ten thousand small sessions. The
 * consequence for callers: an {@link DtlsSession.Output} callback must not feed another datagram
 * into a session on the same thread while it still reads the buffer it was handed.
 */
final class Scratch {
  private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

  /** Staging for the AEAD: plaintext in the first half, ciphertext in the second. */
  final byte[] work = new byte[RecordCipher.WORK];

  /** Decrypted record content handed to the caller. */
  final ByteBuffer plain = ByteBuffer.allocate(RecordCipher.MAX_CONTENT + 1);

  /** Handshake fragments and ACK bodies being framed. */
  final ByteBuffer frame = ByteBuffer.allocate(RecordCipher.MAX_CONTENT + 1);

  static Scratch get() {
    return PER_THREAD.get();
  }
}
