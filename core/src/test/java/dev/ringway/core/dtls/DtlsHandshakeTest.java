package dev.ringway.core.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Our client against our server in memory, on a simulated clock. */
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

  private static String why(Link link) {
    return "client " + link.clientError + " / server " + link.serverError;
  }

  private static void exchange(Link link, String up, String down) {
    int ups = link.toServerData.size();
    int downs = link.toClientData.size();
    link.clientSends(up);
    link.serverSends(down);
    assertTrue(
        link.runUntil(
            () -> link.toServerData.size() > ups && link.toClientData.size() > downs,
            5_000_000_000L),
        () -> why(link));
    assertEquals(up, new String(link.toServerData.getLast()));
    assertEquals(down, new String(link.toClientData.getLast()));
  }

  static Stream<Arguments> suitesAndGroups() {
    List<Arguments> all = new ArrayList<>();
    for (CipherSuite s : CipherSuite.values()) {
      for (NamedGroup g : NamedGroup.values()) {
        all.add(Arguments.of(s, g));
      }
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("suitesAndGroups")
  void everySuiteAndGroupCompletesAndCarriesData(CipherSuite suite, NamedGroup group) {
    Link link =
        new Link(
            server(EC).withSuites(List.of(suite)),
            client().withSuites(List.of(suite)).withGroups(List.of(group), group));
    assertTrue(link.handshake(), () -> why(link));
    exchange(link, "ping", "pong");
    assertEquals(suite.name(), link.client.cipherSuite());
    assertEquals(suite.name(), link.server.cipherSuite());
    assertEquals(group.name(), link.client.group());
    assertEquals(group.name(), link.server.group());
    assertEquals("DTLSv1.3", link.client.protocol());
  }

  @Test
  void serverPrefersChaChaThenAes256AsLightwaysUdpServer() {
    Link link = new Link(server(EC), client());
    assertTrue(link.handshake(), () -> why(link));
    assertEquals("TLS_CHACHA20_POLY1305_SHA256", link.server.cipherSuite());
  }

  @ParameterizedTest
  @ValueSource(strings = {"EC256", "EC384", "EC521", "RSA"})
  void serverSignsWithEcdsaOrRsaPss(String kind) {
    Link link = new Link(server(PKI.server(kind, List.of("vpn.example"))), client());
    assertTrue(link.handshake(), () -> why(link));
    exchange(link, "a", "b");
  }

  @Test
  void theCookieRoundTripComesBeforeAnySession() {
    Link link = new Link(server(EC), client());
    link.start();
    link.step();
    assertNull(link.server, "no session for a ClientHello without cookie");
    assertEquals(1, link.serverStats.cookiesSent());
    assertTrue(link.runUntil(link::connected, 10_000_000_000L), () -> why(link));
    assertEquals(1, link.serverStats.cookiesAccepted());
    assertEquals(1, link.serverStats.handshakesCompleted());
    assertEquals(1, link.clientStats.handshakesCompleted());
  }

  @Test
  void anUnsupportedFirstKeyShareGetsAHelloRetryRequestNamingASupportedGroup() {
    Link link =
        new Link(
            server(EC).withGroups(List.of(NamedGroup.SECP384R1, NamedGroup.SECP256R1)), client());
    assertTrue(link.handshake(), () -> why(link));
    assertEquals("SECP384R1", link.client.group());
    assertEquals(1, link.serverStats.helloRetryRequests());
  }

  @Test
  void theServerPicksByItsOwnPreferenceAmongOfferedShares() {
    Link link =
        new Link(
            server(EC).withGroups(List.of(NamedGroup.SECP521R1, NamedGroup.X25519)),
            client()
                .withGroups(List.of(NamedGroup.X25519, NamedGroup.SECP521R1), NamedGroup.X25519));
    assertTrue(link.handshake(), () -> why(link));
    assertEquals("X25519", link.server.group(), "the offered share wins over a new round trip");
  }

  @Test
  void aPostQuantumClientHelloIsFragmentedAndReassembled() {
    Link link =
        new Link(
            server(EC),
            client()
                .withGroups(
                    List.of(NamedGroup.P521_MLKEM1024, NamedGroup.X25519),
                    NamedGroup.P521_MLKEM1024));
    link.start();
    assertTrue(link.clientWire.size() >= 2, "the first ClientHello spans datagrams");
    assertTrue(link.runUntil(link::connected, 10_000_000_000L), () -> why(link));
    assertTrue(link.maxClientDatagram <= DtlsServerConfig.DEFAULT_MAX_DATAGRAM);
    assertEquals("P521_MLKEM1024", link.server.group());
    assertTrue(link.serverStats.partialHellos() >= 2, "both hellos were reassembled by the gate");
    exchange(link, "pq", "ok");
  }

  @Test
  void twentyPercentLossReorderingAndDuplicationAlwaysComplete() {
    for (int seed = 1; seed <= 25; seed++) {
      Link link = new Link(server(EC), client());
      link.random = new Random(seed);
      link.loss = 0.2;
      link.reorder = 0.2;
      link.duplicate = 0.1;
      int s = seed;
      assertTrue(link.handshake(), () -> "seed " + s + ": " + why(link));
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        link.clientSends("m" + i);
        sent.add("m" + i);
      }
      link.runUntil(() -> false, 1_000_000_000L);
      assertFalse(link.toServerData.isEmpty(), "seed " + s);
      for (byte[] got : link.toServerData) {
        assertTrue(sent.contains(new String(got)));
      }
      assertEquals(
          link.toServerData.stream().map(String::new).distinct().count(),
          link.toServerData.size(),
          "duplicated datagrams are not delivered twice");
    }
  }

  @Test
  void aLostServerDatagramIsRetransmittedAloneAfterTheClientsAck() {
    Link link = new Link(server(EC).withMaxDatagram(400), client().withMaxDatagram(400));
    link.dropServerDatagram = n -> n == 1;
    link.start();
    assertTrue(link.runUntil(link::connected, 10_000_000_000L), () -> why(link));
    assertEquals(1, link.serverStats.retransmissions());
    assertTrue(
        link.serverDatagrams <= 5 + 1 + 2,
        "the flight went once, only the lost part again, then the final ACK: "
            + link.serverDatagrams);
  }

  @Test
  void theServerAcknowledgesTheClientsFinished() {
    Link link = new Link(server(EC), client());
    assertTrue(link.handshake(), () -> why(link));
    link.runUntil(() -> link.client.nextTimerNanos() == Long.MAX_VALUE, 1_000_000_000L);
    assertEquals(Long.MAX_VALUE, link.client.nextTimerNanos(), "client's last flight acked");
    assertEquals(0, link.clientStats.retransmissions());
  }

  @Test
  void retransmissionStartsAt100msDoublesAndGivesUp() throws DtlsException {
    DtlsStats stats = new DtlsStats();
    DtlsSession s = DtlsSession.client(client().withInlineTasks(true), stats);
    int[] sent = new int[1];
    DtlsSession.Output out =
        new DtlsSession.Output() {
          @Override
          public void transmit(ByteBuffer d) {
            sent[0]++;
          }

          @Override
          public void deliver(ByteBuffer a) {}
        };
    long now = 5_000_000_000L;
    s.start(now, out);
    assertEquals(1, sent[0]);
    List<Long> gaps = new ArrayList<>();
    DtlsException gaveUp = null;
    while (gaveUp == null) {
      long next = s.nextTimerNanos();
      gaps.add((next - now) / 1_000_000L);
      now = next;
      try {
        s.onTimer(now, out);
      } catch (DtlsException e) {
        gaveUp = e;
      }
    }
    assertEquals(
        List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 3200L, 3200L, 3200L, 3200L, 3200L), gaps);
    assertEquals(1 + 10, sent[0], "the ClientHello and ten retransmissions");
    assertEquals(1, stats.handshakeTimeouts());
    assertTrue(s.isFailed());
  }

  @Test
  void keyUpdateBothWaysMidStream() throws DtlsException {
    Link link = new Link(server(EC), client());
    assertTrue(link.handshake(), () -> why(link));
    link.runUntil(() -> link.client.nextTimerNanos() == Long.MAX_VALUE, 1_000_000_000L);
    exchange(link, "before", "update");
    assertTrue(link.client.requestKeyUpdate(link.now, link.clientOut));
    exchange(link, "during", "client update");
    link.runUntil(
        () -> link.client.sendEpoch() == 4 && link.server.sendEpoch() == 4, 1_000_000_000L);
    assertEquals(4, link.client.sendEpoch(), "client moved on once its KeyUpdate was acked");
    assertEquals(4, link.server.sendEpoch(), "update_requested made the server update too");
    exchange(link, "after", "client update");
    assertTrue(link.server.requestKeyUpdate(link.now, link.serverOut));
    exchange(link, "during", "server update");
    link.runUntil(
        () -> link.client.sendEpoch() == 5 && link.server.sendEpoch() == 5, 1_000_000_000L);
    assertEquals(5, link.server.sendEpoch());
    assertEquals(5, link.client.sendEpoch());
    exchange(link, "after", "both updates");
    assertTrue(link.clientStats.keyUpdates() >= 2);
  }

  @Test
  void theServerEchoesALegacySessionIdAsWolfSslExpects() {
    Link link = new Link(server(EC), client());
    byte[] id = new byte[32];
    new Random(9).nextBytes(id);
    link.client.offerLegacySessionId(id);
    assertTrue(link.handshake(), () -> why(link));
    exchange(link, "sid", "echoed");
  }

  @Test
  void closeNotifyClosesThePeer() {
    Link link = new Link(server(EC), client());
    assertTrue(link.handshake(), () -> why(link));
    link.client.close(link.clientOut);
    link.runUntil(() -> link.server.peerClosed(), 1_000_000_000L);
    assertTrue(link.server.peerClosed());
    assertTrue(link.server.isClosed());
    assertTrue(link.client.isClosed());
  }

  private static void failsWith(Link link, int alert) {
    link.start();
    link.runUntil(
        () -> link.client.isFailed() && link.server != null && link.server.isFailed(),
        10_000_000_000L);
    assertNotNull(link.clientError, "client failed");
    assertEquals(
        Alert.name(alert), Alert.name(link.clientError.alert()), link.clientError.getMessage());
    assertEquals(Alert.name(alert), Alert.name(link.server.failureAlert()), "server got the alert");
    assertEquals(1, link.serverStats.handshakesFailedByAlert(alert));
    assertEquals(1, link.clientStats.handshakesFailedByAlert(alert));
  }

  @Test
  void anUntrustedCertificateFailsWithUnknownCa() {
    TestPki other = new TestPki("CN=Somebody Else's CA");
    failsWith(
        new Link(server(other.server("EC256", List.of("vpn.example"))), client()),
        Alert.UNKNOWN_CA);
  }

  @Test
  void aChainForgedInTheNameOfOurCaFailsWithBadCertificate() {
    TestPki forger = new TestPki("CN=Ringway Test CA");
    failsWith(
        new Link(server(forger.server("EC256", List.of("vpn.example"))), client()),
        Alert.BAD_CERTIFICATE);
  }

  @Test
  void anExpiredCertificateFailsWithCertificateExpired() {
    failsWith(
        new Link(server(PKI.expiredServer(List.of("vpn.example"))), client()),
        Alert.CERTIFICATE_EXPIRED);
  }

  @Test
  void aWrongServerNameFailsWithBadCertificate() {
    failsWith(
        new Link(server(EC), client().withServerName("other.example")), Alert.BAD_CERTIFICATE);
  }

  @Test
  void theServerNameMayBeAnIpAddressInTheCertificate() {
    Link link = new Link(server(EC), client().withServerName("127.0.0.1"));
    assertTrue(link.handshake(), () -> why(link));
  }

  @Test
  void aBadServerFinishedFailsWithDecryptError() {
    Link link = new Link(server(EC), client());
    link.corruptServerFinished = true;
    failsWith(link, Alert.DECRYPT_ERROR);
  }

  @Test
  void aBadClientFinishedFailsWithDecryptError() {
    Link link = new Link(server(EC), client());
    link.client.corruptFinished = true;
    link.start();
    link.runUntil(() -> link.server != null && link.server.isFailed(), 10_000_000_000L);
    assertNotNull(link.serverError);
    assertEquals(Alert.DECRYPT_ERROR, link.serverError.alert());
    link.runUntil(() -> link.client.isFailed(), 1_000_000_000L);
    assertEquals(Alert.DECRYPT_ERROR, link.client.failureAlert(), "client got the alert");
  }

  @Test
  void slowWorkWaitsForTheCallersWorker() throws DtlsException {
    DtlsSession s = DtlsSession.client(client(), new DtlsStats());
    List<ByteBuffer> sent = new ArrayList<>();
    DtlsSession.Output out =
        new DtlsSession.Output() {
          @Override
          public void transmit(ByteBuffer d) {
            sent.add(d);
          }

          @Override
          public void deliver(ByteBuffer a) {}
        };
    s.start(0, out);
    assertTrue(s.hasTask(), "key generation is delegated");
    assertTrue(sent.isEmpty(), "nothing sent before the key share exists");
    Runnable task = s.takeTask();
    assertFalse(s.hasTask());
    s.resume(0, out);
    assertTrue(sent.isEmpty(), "resume before the task ran does nothing");
    task.run();
    s.resume(0, out);
    assertEquals(1, sent.size(), "the ClientHello went once the task had run");
  }
}
