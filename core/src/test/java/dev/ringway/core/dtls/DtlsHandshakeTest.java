package dev.ringway.core.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DtlsHandshakeTest {
  static final TestPki PKI = new TestPki();
  static final TestPki.Identity EC = PKI.server("EC256", List.of("vpn.example", "127.0.0.1"));
  static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();

  static DtlsServerConfig server(TestPki.Identity id) {
    return DtlsServerConfig.of(id.chain(), id.key(), SECRET);
  }

  static DtlsClientConfig client() {
    return DtlsClientConfig.of(PKI.anchors(), "vpn.example");
  }

  @Test
  void completesAndCarriesDataBothWays() {
    Link link = new Link(server(EC), client());
    assertTrue(
        link.handshake(), () -> "client " + link.clientError + " server " + link.serverError);
    link.clientSends("ping");
    link.serverSends("pong");
    link.runUntil(
        () -> !link.toServerData.isEmpty() && !link.toClientData.isEmpty(), 1_000_000_000L);
    assertEquals("ping", new String(link.toServerData.get(0)));
    assertEquals("pong", new String(link.toClientData.get(0)));
    assertEquals("TLS_CHACHA20_POLY1305_SHA256", link.client.cipherSuite());
    assertEquals("TLS_CHACHA20_POLY1305_SHA256", link.server.cipherSuite());
  }
}
