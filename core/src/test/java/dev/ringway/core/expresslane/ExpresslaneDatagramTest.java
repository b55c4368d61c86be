package dev.ringway.core.expresslane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.core.wire.OuterHeader;
import dev.ringway.core.wire.ProtocolVersion;
import dev.ringway.core.wire.WireException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Whole UDP datagrams as the connection will build and read them: the outer header with the
 * Expresslane flag, then the session's packet, authenticated under the header's session id.
 */
class ExpresslaneDatagramTest {
  private static final byte[] PACKET = "inside".getBytes();

  @Test
  void aDatagramCarriesTheFlagAndOpensUnderTheHeadersSessionId() throws WireException {
    SessionPair pair = new SessionPair().negotiated();
    long pending = 0x0badc0ffee000001L; // a server mid-rotation stamps its pending id
    ByteBuffer datagram = ByteBuffer.allocateDirect(1500);
    OuterHeader.encode(datagram, ProtocolVersion.V1_3, true, pending);
    assertThat(pair.server.session.seal(pending, ByteBuffer.wrap(PACKET), false, datagram))
        .isTrue();
    datagram.flip();

    OuterHeader.check(datagram);
    assertThat(OuterHeader.expresslaneAt(datagram, 0)).isTrue();
    long session = OuterHeader.sessionAt(datagram, 0);
    datagram.position(OuterHeader.SIZE);
    ByteBuffer inside = ByteBuffer.allocateDirect(1500);
    assertThat(pair.client.session.open(session, datagram, inside)).isEqualTo(OpenResult.INSIDE);
    assertThat(inside.flip().remaining()).isEqualTo(PACKET.length);
  }

  @Test
  void aDatagramReStampedWithAnotherSessionIdIsDropped() {
    SessionPair pair = new SessionPair().negotiated();
    ByteBuffer datagram = ByteBuffer.allocate(1500);
    OuterHeader.encode(datagram, ProtocolVersion.V1_3, true, SessionPair.SESSION);
    pair.client.session.seal(SessionPair.SESSION, ByteBuffer.wrap(PACKET), false, datagram);
    datagram.flip();
    datagram.putLong(8, SessionPair.SESSION ^ 1); // an attacker moves it to another session
    datagram.position(OuterHeader.SIZE);
    assertThat(
            pair.server.session.open(
                OuterHeader.sessionAt(datagram, 0), datagram, ByteBuffer.allocate(1500)))
        .isEqualTo(OpenResult.DECRYPT_FAILED);
  }
}
