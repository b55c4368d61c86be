package dev.ringway.core.conn;

import dev.ringway.core.dtls.DtlsCookieGate;
import dev.ringway.core.tls.DtlsFront;
import dev.ringway.core.tls.TlsEndpoint;
import dev.ringway.core.wire.OuterHeader;
import dev.ringway.core.wire.ProtocolVersion;
import dev.ringway.core.wire.SessionId;
import dev.ringway.core.wire.WireException;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The {@link UdpDemux.Admission} of a DTLS 1.3 server: the datagram's payload (after the Lightway
 * header) goes to the {@link DtlsFront}'s cookie gate; a HelloRetryRequest goes straight back to
 * the source under a header with the EMPTY session and the client's own version, from a buffer
 * reused for every reply. Only an accepted ClientHello lets the demultiplexer make a connection,
 * whose factory then takes its channel from {@link DtlsFront#accept()}. Loop thread only.
 */
public final class DtlsAdmission<A> implements UdpDemux.Admission<A> {
  private final DtlsFront front;
  private final Function<A, byte[]> addressBytes;
  private final BiConsumer<A, ByteBuffer> replies;
  private final ByteBuffer reply =
      ByteBuffer.allocate(OuterHeader.SIZE + TlsEndpoint.MAX_DTLS_PACKET);

  /**
   * {@code addressBytes}: what binds a cookie to its source (e.g. IP and port); {@code replies}:
   * sends a whole datagram (header included) to a source.
   */
  public DtlsAdmission(
      DtlsFront front, Function<A, byte[]> addressBytes, BiConsumer<A, ByteBuffer> replies) {
    this.front = front;
    this.addressBytes = addressBytes;
    this.replies = replies;
  }

  @Override
  public boolean admit(A peer, ByteBuffer datagram) {
    int start = datagram.position();
    ProtocolVersion version;
    try {
      version = OuterHeader.check(datagram);
    } catch (WireException e) {
      return false;
    }
    ByteBuffer payload = datagram.duplicate().position(start + OuterHeader.SIZE);
    reply.clear();
    OuterHeader.encode(reply, version, false, SessionId.EMPTY);
    DtlsCookieGate.Verdict verdict = front.admit(payload, addressBytes.apply(peer), reply);
    datagram.position(start);
    switch (verdict) {
      case REPLY -> {
        replies.accept(peer, reply.flip());
        return false;
      }
      case ACCEPT -> {
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  public DtlsFront front() {
    return front;
  }
}
