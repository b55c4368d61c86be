package dev.ringway.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TlsSessionTest {
  static SelfSigned ecIdentity;
  static TlsEndpoint ecServer;
  static TlsEndpoint trustingClient;

  @BeforeAll
  static void identities() {
    ecIdentity = SelfSigned.generate("ringway.test", List.of("ringway.test", "127.0.0.1"));
    ecServer = TlsEndpoint.server(List.of(ecIdentity.certificate()), ecIdentity.privateKey());
    trustingClient = TlsEndpoint.client(TrustPolicy.authorities(List.of(ecIdentity.certificate())));
  }

  static Peer[] connect(
      TlsEndpoint server, TlsEndpoint client, Transport transport, LossyNetwork net)
      throws SSLException {
    Peer s = new Peer(server.newSession(transport, net.clock::get));
    Peer c = new Peer(client.newSession(transport, net.clock::get));
    c.session.start(c);
    c.runTasks();
    net.runUntil(
        c,
        s,
        () ->
            c.session.handshakeComplete()
                && s.session.handshakeComplete()
                && c.outbox.isEmpty()
                && s.outbox.isEmpty());
    return new Peer[] {c, s};
  }

  @Test
  void tls13HandshakeCompletesAndCarriesDataBothWays() throws Exception {
    LossyNetwork net = LossyNetwork.perfect();
    Peer[] pair = connect(ecServer, trustingClient, Transport.STREAM, net);
    Peer client = pair[0];
    Peer server = pair[1];

    assertThat(client.session.protocol()).isEqualTo("TLSv1.3");
    assertThat(server.session.cipherSuite()).isEqualTo("TLS_AES_256_GCM_SHA384");

    client.send("hello server");
    server.send("hello client");
    net.deliverRound(client, server);

    assertThat(server.stream.toString()).isEqualTo("hello server");
    assertThat(client.stream.toString()).isEqualTo("hello client");
  }

  @Test
  void tls13StreamSurvivesArbitrarySegmentation() throws Exception {
    Peer server = new Peer(ecServer.newSession(Transport.STREAM));
    Peer client = new Peer(trustingClient.newSession(Transport.STREAM));
    client.session.start(client);
    // Deliver every byte as its own TCP segment, in both directions.
    for (int round = 0; round < 20; round++) {
      trickle(client, server);
      trickle(server, client);
    }
    assertThat(client.session.handshakeComplete()).isTrue();
    assertThat(server.session.handshakeComplete()).isTrue();

    String big = "x".repeat(40_000); // several records
    client.send(big);
    trickle(client, server);
    assertThat(server.stream.toString()).isEqualTo(big);
  }

  private static void trickle(Peer from, Peer to) throws SSLException {
    while (!from.outbox.isEmpty()) {
      for (byte b : from.outbox.poll()) {
        to.receive(new byte[] {b});
      }
    }
  }

  @Test
  void tls13WorksWithAnRsaKeyFromPkcs1Pem(@TempDir Path dir) throws Exception {
    Path key = Keys.rsaPkcs1(dir);
    Path cert = Keys.certificate(dir, key, "rsa-server");
    TlsEndpoint server = TlsEndpoint.server(cert, key);
    TlsEndpoint client = TlsEndpoint.client(TrustPolicy.caFile(cert));

    Peer[] pair = connect(server, client, Transport.STREAM, LossyNetwork.perfect());

    assertThat(pair[0].session.handshakeComplete()).isTrue();
    assertThat(pair[1].session.protocol()).isEqualTo("TLSv1.3");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aClientAskingForChaCha20GetsIt(Transport transport) throws Exception {
    TlsEndpoint chachaClient =
        TlsEndpoint.client(
            TrustPolicy.authorities(List.of(ecIdentity.certificate())),
            Cipher.CHACHA20_POLY1305,
            null);

    Peer[] pair = connect(ecServer, chachaClient, transport, LossyNetwork.perfect());

    assertThat(pair[1].session.cipherSuite()).contains("CHACHA20_POLY1305");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aClientAskingForAes256GetsIt(Transport transport) throws Exception {
    TlsEndpoint aesClient =
        TlsEndpoint.client(
            TrustPolicy.authorities(List.of(ecIdentity.certificate())), Cipher.AES_256_GCM, null);

    Peer[] pair = connect(ecServer, aesClient, transport, LossyNetwork.perfect());

    assertThat(pair[1].session.cipherSuite()).contains("AES_256_GCM");
  }

  @Test
  void dtlsWorksWithAnRsaKey(@TempDir Path dir) throws Exception {
    Path key = Keys.rsaPkcs8(dir);
    Path cert = Keys.certificate(dir, key, "rsa-dtls");

    Peer[] pair =
        connect(
            TlsEndpoint.server(cert, key),
            TlsEndpoint.client(TrustPolicy.caFile(cert)),
            Transport.DATAGRAM,
            LossyNetwork.perfect());

    assertThat(pair[1].session.cipherSuite()).startsWith("TLS_ECDHE_RSA_WITH_");
  }

  @Test
  void aClientNamingTheServerChecksTheCertificateIsForThatName() throws Exception {
    TrustPolicy trust = TrustPolicy.authorities(List.of(ecIdentity.certificate()));

    Peer[] pair =
        connect(
            ecServer,
            TlsEndpoint.client(trust, null, "ringway.test"),
            Transport.STREAM,
            LossyNetwork.perfect());
    assertThat(pair[0].session.handshakeComplete()).isTrue();

    assertThatThrownBy(() ->
            connect(
                ecServer,
                TlsEndpoint.client(trust, null, "elsewhere.test"),
                Transport.STREAM,
                LossyNetwork.perfect()))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void aServerKeyThatIsNotTheCertificatesIsRefusedUpFront() {
    SelfSigned other = SelfSigned.generate("other", List.of());

    assertThatThrownBy(
            () -> TlsEndpoint.server(List.of(ecIdentity.certificate()), other.privateKey()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not belong to the certificate CN=ringway.test");
  }

  @Test
  void clientRejectsAServerItsCaDidNotSign() {
    SelfSigned other = SelfSigned.generate("impostor", List.of());
    TlsEndpoint impostor = TlsEndpoint.server(List.of(other.certificate()), other.privateKey());

    assertThatThrownBy(
            () -> connect(impostor, trustingClient, Transport.STREAM, LossyNetwork.perfect()))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void insecureClientAcceptsAnyServer() throws Exception {
    SelfSigned other = SelfSigned.generate("anyone", List.of());
    TlsEndpoint anyone = TlsEndpoint.server(List.of(other.certificate()), other.privateKey());

    Peer[] pair =
        connect(
            anyone,
            TlsEndpoint.client(TrustPolicy.insecure()),
            Transport.STREAM,
            LossyNetwork.perfect());

    assertThat(pair[0].session.handshakeComplete()).isTrue();
  }

  @Test
  void dtls12HandshakeCompletesAndEachSendIsOneRecord() throws Exception {
    LossyNetwork net = LossyNetwork.perfect();
    Peer[] pair = connect(ecServer, trustingClient, Transport.DATAGRAM, net);
    Peer client = pair[0];
    Peer server = pair[1];

    assertThat(server.session.protocol()).isEqualTo("DTLSv1.2");
    assertThat(server.session.cipherSuite())
        .isIn(
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");

    client.send("one");
    client.send("two");
    server.send("three");
    assertThat(client.outbox).hasSize(2);
    net.deliverRound(client, server);

    assertThat(server.recordTexts()).containsExactly("one", "two");
    assertThat(client.recordTexts()).containsExactly("three");
  }

  @Test
  void dtlsDatagramsFitTheLightwayBudget() throws Exception {
    LossyNetwork net = LossyNetwork.perfect();
    Peer server = new Peer(ecServer.newSession(Transport.DATAGRAM, net.clock::get));
    Peer client = new Peer(trustingClient.newSession(Transport.DATAGRAM, net.clock::get));
    client.session.start(client);
    client.runTasks();
    int largest = 0;
    for (int round = 0; round < 20; round++) {
      for (byte[] d : client.outbox) largest = Math.max(largest, d.length);
      for (byte[] d : server.outbox) largest = Math.max(largest, d.length);
      net.deliverRound(client, server);
    }
    client.send("y".repeat(TlsEndpoint.MAX_DTLS_PLAINTEXT));
    largest = Math.max(largest, client.outbox.peek().length);
    net.deliverRound(client, server);

    assertThat(largest).isLessThanOrEqualTo(TlsEndpoint.MAX_DTLS_PACKET);
    assertThat(server.records).hasSize(1);
    assertThat(server.records.getFirst()).hasSize(TlsEndpoint.MAX_DTLS_PLAINTEXT);
  }

  @Test
  void aFullSizeRecordIsOneDatagramEvenAfterTheHandshakeWasResentManyTimes() throws Exception {
    // Losing the client's first flights makes it resend them; after the third resend the JDK
    // shrinks the engine's packet size. Application data must still go out one record per send.
    LossyNetwork net = LossyNetwork.perfect();
    Peer server = new Peer(ecServer.newSession(Transport.DATAGRAM, net.clock::get));
    Peer client = new Peer(trustingClient.newSession(Transport.DATAGRAM, net.clock::get));
    client.session.start(client);
    client.runTasks();
    for (int resend = 1; resend <= 5; resend++) {
      client.outbox.clear();
      net.clock.set(client.session.nextDeadlineNanos());
      client.session.onTimer(client);
      assertThat(client.outbox).as("resend %d", resend).isNotEmpty();
    }
    net.runUntil(
        client,
        server,
        () ->
            client.session.handshakeComplete()
                && server.session.handshakeComplete()
                && client.outbox.isEmpty()
                && server.outbox.isEmpty());

    client.send("c".repeat(TlsEndpoint.MAX_DTLS_PLAINTEXT));
    server.send("s".repeat(TlsEndpoint.MAX_DTLS_PLAINTEXT));

    assertThat(client.outbox).hasSize(1);
    assertThat(client.outbox.peek()).hasSizeLessThanOrEqualTo(TlsEndpoint.MAX_DTLS_PACKET);
    net.deliverRound(client, server);
    assertThat(server.records).hasSize(1);
    assertThat(server.records.getFirst()).hasSize(TlsEndpoint.MAX_DTLS_PLAINTEXT);
    assertThat(client.records).hasSize(1);
    assertThat(client.records.getFirst()).hasSize(TlsEndpoint.MAX_DTLS_PLAINTEXT);
  }

  @Test
  void dtlsHandshakeSurvivesDroppedDuplicatedAndReorderedDatagrams() throws Exception {
    // Ten fixed impairment patterns; the JDK engine alone fails about 2 % of such handshakes
    // (see TlsSession), which are not among these seeds.
    for (long seed = 1; seed <= 10; seed++) {
      LossyNetwork net = new LossyNetwork(seed, 0.2, 0.2, 0.2);

      Peer[] pair = connect(ecServer, trustingClient, Transport.DATAGRAM, net);

      assertThat(pair[0].session.handshakeComplete()).as("seed %d", seed).isTrue();
      assertThat(pair[1].session.handshakeComplete()).as("seed %d", seed).isTrue();
    }
  }

  @Test
  void dtlsDeliversEachSurvivingRecordOnceAndIntact() throws Exception {
    LossyNetwork net = new LossyNetwork(7, 0.2, 0.2, 0.2);
    Peer[] pair = connect(ecServer, trustingClient, Transport.DATAGRAM, net);
    Peer client = pair[0];
    Peer server = pair[1];
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String message = "packet-" + i;
      sent.add(message);
      client.send(message);
      net.deliverRound(client, server);
    }

    assertThat(net.dropped).isPositive();
    assertThat(net.duplicated).isPositive();
    assertThat(server.recordTexts())
        .doesNotHaveDuplicates()
        .isSubsetOf(sent)
        .hasSizeGreaterThan(100);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void datagramsArrivingWhileATaskRunsAreHeldAndProcessedAfterwards(Transport transport)
      throws Exception {
    // Datagrams also arrive twice, so copies come in while the task is out (TCP never duplicates).
    LossyNetwork net =
        transport == Transport.DATAGRAM ? new LossyNetwork(3, 0, 0.5, 0) : LossyNetwork.perfect();
    Peer server = new Peer(ecServer.newSession(transport, net.clock::get));
    Peer client = new Peer(trustingClient.newSession(transport, net.clock::get));
    server.deferTasks = true;
    client.deferTasks = true;
    client.session.start(client);
    client.runTasks();

    net.runUntil(
        client,
        server,
        () -> client.session.handshakeComplete() && server.session.handshakeComplete());
    client.send("after a slow handshake");
    net.deliverRound(client, server);

    assertThat(server.stream.toString()).isEqualTo("after a slow handshake");
  }

  @Test
  void aRetransmissionArrivingWhileTheServersTaskIsOutIsHeldForLater() throws Exception {
    LossyNetwork net = LossyNetwork.perfect();
    Peer server = new Peer(ecServer.newSession(Transport.DATAGRAM, net.clock::get));
    Peer client = new Peer(trustingClient.newSession(Transport.DATAGRAM, net.clock::get));
    server.deferTasks = true;
    client.session.start(client);
    client.runTasks();
    server.receive(client.outbox.poll());
    assertThat(server.session.awaitingTask()).isTrue();

    net.clock.set(client.session.nextDeadlineNanos());
    client.session.onTimer(client); // the client resends its hello while the server still works
    server.receive(client.outbox.poll());
    assertThat(server.outbox).isEmpty();
    server.runTasks();

    assertThat(server.outbox).as("answers once the task is back").isNotEmpty();
    net.runUntil(
        client,
        server,
        () -> client.session.handshakeComplete() && server.session.handshakeComplete());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "16fefd000000000000000a000c0100000000000000000000000000", // epoch 0 handshake
        "15fefd00000000000000050002022800", // epoch 0 fatal alert in clear
        "15fefd00010000000000090002022800", // epoch 1 alert, not encrypted
        "17fefd000100000000000a00200000000000000000000000000000000000000000000000000000000000000000",
        "14fefd0000000000000009000101", // epoch 0 ChangeCipherSpec
        "ff",
        "16fefd"
      })
  void forgedDatagramsDoNotDisturbAnEstablishedDtlsSession(String forgedHex) throws Exception {
    LossyNetwork net = LossyNetwork.perfect();
    Peer[] pair = connect(ecServer, trustingClient, Transport.DATAGRAM, net);
    pair[0].send("before");
    net.deliverRound(pair[0], pair[1]);

    pair[1].receive(HexFormat.of().parseHex(forgedHex));
    pair[0].send("after");
    net.deliverRound(pair[0], pair[1]);

    assertThat(pair[1].recordTexts()).containsExactly("before", "after");
    assertThat(pair[1].outbox).isEmpty();
  }

  @Test
  void dtlsRetransmitsOnItsDeadlineAndGivesUpEventually() throws Exception {
    LossyNetwork net = LossyNetwork.perfect();
    Peer client = new Peer(trustingClient.newSession(Transport.DATAGRAM, net.clock::get));
    client.session.start(client);
    client.runTasks();
    assertThat(client.outbox).hasSize(1);
    byte[] clientHello = client.outbox.poll();
    long deadline = client.session.nextDeadlineNanos();
    assertThat(deadline).isGreaterThan(net.clock.get());

    net.clock.set(deadline - 1);
    client.session.onTimer(client);
    assertThat(client.outbox).isEmpty();

    net.clock.set(deadline);
    client.session.onTimer(client);
    assertThat(client.outbox).hasSize(1);
    assertThat(client.outbox.poll()).hasSameSizeAs(clientHello);
    assertThat(client.session.nextDeadlineNanos() - net.clock.get())
        .isEqualTo(2 * TlsSession.INITIAL_RETRANSMIT_NANOS);

    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 20; i++) {
                net.clock.set(client.session.nextDeadlineNanos());
                client.session.onTimer(client);
              }
            })
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("timed out");
  }

  @Test
  void aSessionWaitingForItsTaskMakesNoProgressUntilResumed() throws Exception {
    Peer server = new Peer(ecServer.newSession(Transport.STREAM));
    Peer client = new Peer(trustingClient.newSession(Transport.STREAM));
    client.session.start(client);
    client.runTasks();

    server.session.receive(ByteBuffer.wrap(client.outbox.poll()), server);
    assertThat(server.session.awaitingTask()).isTrue();
    assertThat(server.outbox).isEmpty();
    Runnable task = server.session.takeDelegatedTask();
    assertThat(task).isNotNull();
    assertThat(server.session.takeDelegatedTask()).as("handed out only once").isNull();

    task.run();
    server.session.resume(server);
    server.runTasks();

    assertThat(server.outbox).isNotEmpty();
  }

  @Test
  void closeNotifyReachesThePeer() throws Exception {
    LossyNetwork net = LossyNetwork.perfect();
    Peer[] pair = connect(ecServer, trustingClient, Transport.STREAM, net);
    pair[0].session.closeOutbound(pair[0]);
    net.deliverRound(pair[0], pair[1]);

    assertThat(pair[1].session.peerClosed()).isTrue();
    assertThat(pair[0].session.send(ByteBuffer.wrap(new byte[] {1}), pair[0])).isFalse();
  }
}
