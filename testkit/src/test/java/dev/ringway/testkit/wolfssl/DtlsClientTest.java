package dev.ringway.testkit.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringway.testkit.Await;
import dev.ringway.testkit.WolfSsl;
import dev.ringway.testkit.WolfSslTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FFM binding against wolfSSL's own example server: a peer on the other end of the wire. */
@WolfSslTest
class DtlsClientTest {
  private static final String REPLY = ExampleServer.REPLY;
  private static final Duration LIMIT = Duration.ofSeconds(30);

  @TempDir static Path pki;
  private static WolfSsl wolf;
  private static TestPki certificates;

  @BeforeAll
  static void buildAndIssueCertificates() {
    wolf = WolfSsl.get();
    certificates = TestPki.issue(pki, "ringway.test");
  }

  @Test
  void completesADtls13HandshakeAndExchangesALine() throws Exception {
    try (ExampleServer server = ExampleServer.start(wolf, DtlsVersion.DTLS_1_3, certificates, pki);
        Peer peer =
            Peer.open(
                server.port(),
                new DtlsClient.Options(
                    DtlsVersion.DTLS_1_3,
                    certificates.ca(),
                    "TLS13-AES256-GCM-SHA384",
                    "ringway.test",
                    0))) {
      peer.client.handshake(LIMIT, peer::await);

      assertThat(peer.client.version()).isEqualTo("DTLSv1.3");
      assertThat(peer.client.cipher()).isEqualTo("TLS13-AES256-GCM-SHA384");
      assertThat(peer.exchange("hello over dtls 1.3")).startsWith(REPLY);
      awaitPrinted(server, "Client message: hello over dtls 1.3");
    }
  }

  @Test
  void negotiatesChaCha20OverDtls13() throws Exception {
    try (ExampleServer server = ExampleServer.start(wolf, DtlsVersion.DTLS_1_3, certificates, pki);
        Peer peer =
            Peer.open(
                server.port(),
                new DtlsClient.Options(
                    DtlsVersion.DTLS_1_3,
                    certificates.ca(),
                    "TLS13-CHACHA20-POLY1305-SHA256",
                    "ringway.test",
                    0))) {
      peer.client.handshake(LIMIT, peer::await);

      assertThat(peer.client.cipher()).isEqualTo("TLS13-CHACHA20-POLY1305-SHA256");
      assertThat(peer.exchange("chacha")).startsWith(REPLY);
    }
  }

  @Test
  void completesADtls12HandshakeAndExchangesALine() throws Exception {
    try (ExampleServer server = ExampleServer.start(wolf, DtlsVersion.DTLS_1_2, certificates, pki);
        Peer peer =
            Peer.open(
                server.port(),
                new DtlsClient.Options(
                    DtlsVersion.DTLS_1_2,
                    certificates.ca(),
                    "ECDHE-ECDSA-AES256-GCM-SHA384",
                    "ringway.test",
                    0))) {
      peer.client.handshake(LIMIT, peer::await);

      assertThat(peer.client.version()).isEqualTo("DTLSv1.2");
      assertThat(peer.client.cipher()).isEqualTo("ECDHE-ECDSA-AES256-GCM-SHA384");
      assertThat(peer.exchange("hello over dtls 1.2")).startsWith(REPLY);
    }
  }

  @Test
  void sendsAKeyUpdateMidSessionAndKeepsTalking() throws Exception {
    try (ExampleServer server =
            ExampleServer.start(wolf, DtlsVersion.DTLS_1_3, certificates, pki, "-e");
        Peer peer =
            Peer.open(
                server.port(),
                new DtlsClient.Options(
                    DtlsVersion.DTLS_1_3,
                    certificates.ca(),
                    "TLS13-AES256-GCM-SHA384",
                    "ringway.test",
                    0))) {
      peer.client.handshake(LIMIT, peer::await);
      assertThat(peer.exchange("before a key update")).isEqualTo("before a key update");

      peer.client.updateKeys();
      assertThat(peer.client.keyUpdatePending()).as("our KeyUpdate asks for the server's").isTrue();

      // -e: the server echoes the line, so it decrypted it after our KeyUpdate.
      assertThat(peer.exchange("after a key update")).isEqualTo("after a key update");
      assertThat(peer.client.keyUpdatePending()).as("the server answered with its own").isFalse();
    }
  }

  @Test
  void readsTheAnswerTheServerSentUnderNewKeys() throws Exception {
    try (ExampleServer server =
            ExampleServer.start(wolf, DtlsVersion.DTLS_1_3, certificates, pki, "-U");
        Peer peer =
            Peer.open(
                server.port(),
                new DtlsClient.Options(
                    DtlsVersion.DTLS_1_3,
                    certificates.ca(),
                    "TLS13-CHACHA20-POLY1305-SHA256",
                    "ringway.test",
                    0))) {
      peer.client.handshake(LIMIT, peer::await);

      // -U: the server sends a KeyUpdate before its answer, as Lightway's server rekeys a DTLS
      // 1.3 session every 15 minutes; the answer is readable only under its new keys.
      assertThat(peer.exchange("before the server's key update")).startsWith(REPLY);
      awaitPrinted(server, "Client message: before the server's key update");
    }
  }

  @Test
  void refusesAServerWhoseCertificateNamesAnotherHost() throws Exception {
    try (ExampleServer server = ExampleServer.start(wolf, DtlsVersion.DTLS_1_3, certificates, pki);
        Peer peer =
            Peer.open(
                server.port(),
                new DtlsClient.Options(
                    DtlsVersion.DTLS_1_3,
                    certificates.ca(),
                    "TLS13-AES256-GCM-SHA384",
                    "elsewhere.test",
                    0))) {
      assertThatThrownBy(() -> peer.client.handshake(LIMIT, peer::await))
          .isInstanceOf(WolfSslException.class)
          .hasMessageContaining("wolfSSL_connect")
          .satisfies(e -> assertThat(((WolfSslException) e).code()).isEqualTo(-322));
    }
  }

  @Test
  void refusesAServerCertificateFromAnUntrustedAuthority() throws Exception {
    try (ExampleServer server = ExampleServer.start(wolf, DtlsVersion.DTLS_1_3, certificates, pki);
        Peer peer =
            Peer.open(
                server.port(),
                new DtlsClient.Options(
                    DtlsVersion.DTLS_1_3,
                    certificates.otherCa(),
                    "TLS13-AES256-GCM-SHA384",
                    "ringway.test",
                    0))) {
      assertThatThrownBy(() -> peer.client.handshake(LIMIT, peer::await))
          .isInstanceOf(WolfSslException.class)
          .hasMessageContaining("wolfSSL_connect");
    }
  }

  @Test
  void aMissingCaFileFailsWithWolfSslsReason() {
    DtlsClient.Options options =
        new DtlsClient.Options(
            DtlsVersion.DTLS_1_3, pki.resolve("absent.crt"), "TLS13-AES256-GCM-SHA384", null, 0);
    DatagramIo nothing =
        new DatagramIo() {
          @Override
          public void send(ByteBuffer datagram) {}

          @Override
          public ByteBuffer receive() {
            return null;
          }
        };

    assertThatThrownBy(() -> DtlsClient.open(wolf.library(), options, nothing))
        .isInstanceOf(WolfSslException.class)
        .hasMessageContaining("wolfSSL_CTX_load_verify_locations")
        .hasMessageContaining("WOLFSSL_BAD_FILE");
  }

  private static void awaitPrinted(ExampleServer server, String line) {
    try {
      Await.until(
          "the example server to print " + line, LIMIT, () -> server.output().contains(line));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + server, e);
    }
  }

  /** Our end: a UDP socket on loopback under a {@link DtlsClient}, owned by the test. */
  private static final class Peer implements DatagramIo, AutoCloseable {
    private final DatagramChannel channel;
    private final Selector selector;
    private final ByteBuffer inbound = ByteBuffer.allocate(65535);
    private DtlsClient client;

    private Peer(DatagramChannel channel, Selector selector) {
      this.channel = channel;
      this.selector = selector;
    }

    static Peer open(int port, DtlsClient.Options options) throws IOException {
      DatagramChannel channel = DatagramChannel.open();
      channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      channel.configureBlocking(false);
      Selector selector = Selector.open();
      channel.register(selector, SelectionKey.OP_READ);
      Peer peer = new Peer(channel, selector);
      peer.client = DtlsClient.open(wolf.library(), options, peer);
      return peer;
    }

    String exchange(String line) throws IOException {
      client.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
      return new String(client.readRecord(LIMIT, this::await), StandardCharsets.UTF_8);
    }

    boolean await(Duration limit) throws IOException {
      int ready = selector.select(Math.max(1, limit.toMillis()));
      selector.selectedKeys().clear();
      return ready > 0;
    }

    @Override
    public void send(ByteBuffer datagram) throws IOException {
      try {
        channel.write(datagram);
      } catch (java.net.PortUnreachableException e) {
        // The example server may not listen yet: the datagram is lost, DTLS retransmits.
      }
    }

    @Override
    public ByteBuffer receive() throws IOException {
      inbound.clear();
      try {
        if (channel.receive(inbound) == null) {
          return null;
        }
      } catch (java.net.PortUnreachableException e) {
        return null;
      }
      inbound.flip();
      return ByteBuffer.allocate(inbound.remaining()).put(inbound).flip();
    }

    @Override
    public void close() throws IOException {
      if (client != null) {
        client.close();
      }
      selector.close();
      channel.close();
    }
  }
}
