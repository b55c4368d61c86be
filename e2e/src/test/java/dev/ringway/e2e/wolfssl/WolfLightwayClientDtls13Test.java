package dev.ringway.e2e.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.core.wire.ProtocolVersion;
import dev.ringway.core.wire.SessionId;
import dev.ringway.e2e.wolfssl.WolfLightwayClient.Cipher;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.WolfSsl;
import dev.ringway.testkit.WolfSslTest;
import dev.ringway.testkit.wolfssl.DtlsVersion;
import dev.ringway.testkit.wolfssl.ExampleServer;
import dev.ringway.testkit.wolfssl.TestPki;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The switch Ringway's server will make, rehearsed on the client side: the same Lightway client
 * with the DTLS 1.3 method and wire version 1.3 completes a handshake with wolfSSL's DTLS 1.3
 * example server through a relay that checks and strips its headers with the server's codec and
 * stamps the answers with a session id.
 */
@WolfSslTest
class WolfLightwayClientDtls13Test {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final SessionId RELAY_SESSION = SessionId.of(0x0123456789abcdefL);

  @TempDir static Path directory;
  private static WolfSsl wolf;
  private static TestPki pki;

  @BeforeAll
  static void issue() {
    wolf = WolfSsl.get();
    pki = TestPki.issue(directory, "ringway.test");
  }

  @ParameterizedTest
  @EnumSource(Cipher.class)
  void handshakesOverDtls13WithWireVersion13Headers(Cipher cipher) throws Exception {
    try (ExampleServer server = ExampleServer.start(wolf, DtlsVersion.DTLS_1_3, pki, directory);
        HeaderRelay relay = HeaderRelay.start(server.port(), ProtocolVersion.V1_3, RELAY_SESSION);
        WolfLightwayClient client =
            WolfLightwayClient.open(
                WolfLightwayClient.Settings.of(
                    DtlsVersion.DTLS_1_3, cipher, pki.ca(), "ringway.test", wolf.library()),
                DatagramChannel.open().connect(relay.address()))) {
      client.handshake(LIMIT);

      assertThat(client.dtlsVersion()).isEqualTo("DTLSv1.3");
      assertThat(client.cipher())
          .isEqualTo(
              cipher == Cipher.AES_256_GCM
                  ? "TLS13-AES256-GCM-SHA384"
                  : "TLS13-CHACHA20-POLY1305-SHA256");
      long sent = client.datagramsSent();
      Await.until(
          "the relay to read all " + sent + " datagrams the client sent",
          LIMIT,
          () -> relay.headersFromClient().size() + relay.problems().size() >= sent);
      assertThat(relay.problems()).as("datagrams the server's codec refused").isEmpty();
      assertThat(relay.headersFromClient())
          .hasSize((int) sent)
          .allSatisfy(header -> {
            assertThat(header.version()).isEqualTo(ProtocolVersion.V1_3);
            assertThat(header.aggressive()).isFalse();
            assertThat(header.expresslane()).isFalse();
            assertThat(header.session())
                .as("handshake-only datagrams never adopt the server's session")
                .isEqualTo(SessionId.EMPTY);
          });
      assertThat(client.session()).isEqualTo(SessionId.EMPTY);
    }
  }
}
