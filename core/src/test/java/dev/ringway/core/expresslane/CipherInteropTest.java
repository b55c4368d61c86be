package dev.ringway.core.expresslane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.core.wire.ExpresslaneCipher;
import dev.ringway.core.wire.ExpresslaneVersion;
import dev.ringway.core.wire.WireException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The session's data path against the wire package's one-shot {@link ExpresslaneCipher}, a second
 * implementation of §2.14 checked by the golden vectors: packets of every size, both versions,
 * encoded or not, open on the other side.
 */
class CipherInteropTest {
  @ParameterizedTest
  @EnumSource(
      value = ExpresslaneVersion.class,
      names = {"V1", "V2"})
  void sessionPacketsOpenWithTheWireCipherAndBack(ExpresslaneVersion version) throws WireException {
    SessionPair pair = new SessionPair(version, version).negotiated();
    ExpresslaneCipher clientKey = new ExpresslaneCipher(pair.client.log.getFirst().key());
    ExpresslaneCipher serverKey = new ExpresslaneCipher(pair.server.log.getLast().key());
    SplittableRandom random = new SplittableRandom(17);
    for (int i = 0; i < 300; i++) {
      byte[] inside = new byte[random.nextInt(0, 2000)];
      random.nextBytes(inside);
      boolean encoded = random.nextBoolean();

      ByteBuffer sealed = ByteBuffer.allocate(inside.length + 40);
      assertThat(
              pair.client.session.seal(
                  SessionPair.SESSION, ByteBuffer.wrap(inside), encoded, sealed))
          .isTrue();
      ByteBuffer opened = ByteBuffer.allocate(inside.length);
      assertThat(clientKey.open(sealed.flip(), version, SessionPair.SESSION, opened))
          .isEqualTo(encoded);
      assertThat(opened.array()).isEqualTo(inside);

      byte[] iv = new byte[12];
      random.nextBytes(iv);
      ByteBuffer fromWire = ByteBuffer.allocate(inside.length + 40);
      serverKey.seal(
          fromWire, version, SessionPair.SESSION, i + 1, iv, encoded, ByteBuffer.wrap(inside));
      ByteBuffer delivered = ByteBuffer.allocate(2048);
      assertThat(pair.client.session.open(SessionPair.SESSION, fromWire.flip(), delivered))
          .isEqualTo(encoded ? OpenResult.INSIDE_ENCODED : OpenResult.INSIDE);
      assertThat(Arrays.copyOf(delivered.array(), delivered.position())).isEqualTo(inside);
    }
  }
}
