package dev.ringway.core.expresslane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.core.wire.ExpresslaneConfig;
import dev.ringway.core.wire.ExpresslaneVersion;
import dev.ringway.core.wire.FrameCodec;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The session against Lightway's golden vectors: the Expresslane data frames of digest §8.8 and the
 * config body of §8.7, reached through a real negotiation.
 */
class ExpresslaneVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final long SESSION = 0xa1a1a1a1a1a1a1a1L;
  private static final byte[] PLAINTEXT = "expresslane golden vector payload".getBytes();
  private static final String V1_FRAME =
      "00000000000000012b2b2b2b2b2b2b2b2b2b2b2bf8cf6559479de62e9b6bf8cda32be127002180001de0df19db6aa733e1f77938999b312f5310ecc610332f6a94234f38a17987cac8";
  private static final String V2_FRAME =
      "00000000000000012b2b2b2b2b2b2b2b2b2b2b2b99729ab5a6261acd578ce423075905ed002180001de0df19db6aa733e1f77938999b312f5310ecc610332f6a94234f38a17987cac8";

  /** Keys of 32 × 0x5a, as in the vectors. */
  private static final class FixedKeys extends SecureRandom {
    @Override
    public void nextBytes(byte[] bytes) {
      Arrays.fill(bytes, (byte) 0x5a);
    }
  }

  /** IVs of 12 × 0x2b, as in the vectors. */
  private static final RandomGenerator FIXED_IVS = () -> 0x2b2b2b2b2b2b2b2bL;

  private record Pair(ExpresslaneSession client, ExpresslaneSession server) {}

  /** A client that draws the vectors' key and IV, negotiated with a server of version max. */
  private static Pair negotiate(ExpresslaneVersion max) {
    java.util.ArrayDeque<ExpresslaneConfig> toServer = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<ExpresslaneConfig> toClient = new java.util.ArrayDeque<>();
    ExpresslaneSettings settings =
        new ExpresslaneSettings(true, ExpresslaneSettings.DEFAULT_KEY_ROTATION, max);
    ExpresslaneSession client =
        ExpresslaneSession.client(
            ExpresslaneSettings.of(true), new FixedKeys(), FIXED_IVS, toServer::add);
    ExpresslaneSession server =
        ExpresslaneSession.server(
            settings, new SecureRandom(), new SplittableRandom(3), toClient::add);
    client.online(0, true);
    server.online(0, true);
    while (!toServer.isEmpty() || !toClient.isEmpty()) {
      while (!toServer.isEmpty()) {
        server.onConfig(SessionPair.throughCodec(toServer.removeFirst()), 0);
      }
      while (!toClient.isEmpty()) {
        client.onConfig(SessionPair.throughCodec(toClient.removeFirst()), 0);
      }
    }
    assertThat(client.version()).isEqualTo(max);
    return new Pair(client, server);
  }

  @ParameterizedTest
  @CsvSource({"V1, " + V1_FRAME, "V2, " + V2_FRAME})
  void sealProducesTheGoldenFrame(ExpresslaneVersion version, String frame) {
    Pair pair = negotiate(version);
    ByteBuffer out = ByteBuffer.allocate(128);
    assertThat(pair.client().seal(SESSION, ByteBuffer.wrap(PLAINTEXT), true, out)).isTrue();
    assertThat(HEX.formatHex(out.array(), 0, out.position())).isEqualTo(frame);
  }

  @ParameterizedTest
  @CsvSource({"V1, " + V1_FRAME, "V2, " + V2_FRAME})
  void openReadsTheGoldenFrame(ExpresslaneVersion version, String frame) {
    Pair pair = negotiate(version);
    ByteBuffer out = ByteBuffer.allocate(64);
    assertThat(pair.server().open(SESSION, ByteBuffer.wrap(HEX.parseHex(frame)), out))
        .isEqualTo(OpenResult.INSIDE_ENCODED);
    assertThat(Arrays.copyOf(out.array(), out.position())).isEqualTo(PLAINTEXT);
  }

  @ParameterizedTest
  @CsvSource({
    // V2 with the encoded flag cleared but the tag of the flag-set frame: flags are in the AAD.
    "V2, 00000000000000012b2b2b2b2b2b2b2b2b2b2b2b99729ab5a6261acd578ce423075905ed002100001de0df19db6aa733e1f77938999b312f5310ecc610332f6a94234f38a17987cac8, DECRYPT_FAILED",
    // V1 does not bind the flags: the same change still opens, now unencoded.
    "V1, 00000000000000012b2b2b2b2b2b2b2b2b2b2b2bf8cf6559479de62e9b6bf8cda32be127002100001de0df19db6aa733e1f77938999b312f5310ecc610332f6a94234f38a17987cac8, INSIDE",
    // The V2 golden frame read as V1: the AAD lengths differ, so it does not authenticate.
    "V1, " + V2_FRAME + ", DECRYPT_FAILED"
  })
  void theVersionDecidesWhetherTheFlagsAreAuthenticated(
      ExpresslaneVersion version, String frame, OpenResult expected) {
    Pair pair = negotiate(version);
    assertThat(
            pair.server()
                .open(SESSION, ByteBuffer.wrap(HEX.parseHex(frame)), ByteBuffer.allocate(64)))
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"V1, 018000000000000000000001", "V2, 028000000000000000000001"})
  void theFirstAnnouncementEncodesAsTheDigestLaysItOut(ExpresslaneVersion max, String expected) {
    java.util.List<ExpresslaneConfig> sent = new java.util.ArrayList<>();
    ExpresslaneSession client =
        ExpresslaneSession.client(
            new ExpresslaneSettings(true, ExpresslaneSettings.DEFAULT_KEY_ROTATION, max),
            new FixedKeys(),
            FIXED_IVS,
            sent::add);
    client.online(0, true);
    ByteBuffer body = ByteBuffer.allocate(64);
    FrameCodec.encode(sent.getFirst(), body);
    String wire = HEX.formatHex(body.array(), 0, body.position());
    // kind 20, version, flags E=1 A=0, reserved, counter 1, key 32 × 5a
    assertThat(wire).isEqualTo("14" + expected + "5a".repeat(32));
  }

  @org.junit.jupiter.api.Test
  void theAcknowledgementOfAVersion1AnnouncementIsTheDigestsConfigVector() {
    java.util.List<ExpresslaneConfig> sent = new java.util.ArrayList<>();
    ExpresslaneSession server =
        ExpresslaneSession.server(
            ExpresslaneSettings.of(true), new SecureRandom(), new SplittableRandom(5), sent::add);
    server.online(0, true);
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (i + 1);
    }
    server.onConfig(
        new ExpresslaneConfig(ExpresslaneVersion.V1, true, false, 0x123456789abcdef0L, key), 0);
    ByteBuffer body = ByteBuffer.allocate(64);
    FrameCodec.encode(sent.getFirst(), body);
    // §8.7: version V1, enabled, ack, counter 0x123456789abcdef0, key 01..20 (after kind 20)
    assertThat(HEX.formatHex(body.array(), 0, body.position()))
        .isEqualTo(
            "14"
                + "01c00000123456789abcdef0"
                + "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
  }
}
