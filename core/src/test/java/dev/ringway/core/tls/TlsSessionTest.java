package dev.ringway.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void aClientAskingForChaCha20GetsIt() throws Exception {
    Transport transport = Transport.STREAM;
    TlsEndpoint chachaClient =
        TlsEndpoint.client(
            TrustPolicy.authorities(List.of(ecIdentity.certificate())),
            Cipher.CHACHA20_POLY1305,
            null);

    Peer[] pair = connect(ecServer, chachaClient, transport, LossyNetwork.perfect());

    assertThat(pair[1].session.cipherSuite()).contains("CHACHA20_POLY1305");
  }

  @Test
  void aClientAskingForAes256GetsIt() throws Exception {
    Transport transport = Transport.STREAM;
    TlsEndpoint aesClient =
        TlsEndpoint.client(
            TrustPolicy.authorities(List.of(ecIdentity.certificate())), Cipher.AES_256_GCM, null);

    Peer[] pair = connect(ecServer, aesClient, transport, LossyNetwork.perfect());

    assertThat(pair[1].session.cipherSuite()).contains("AES_256_GCM");
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
  void bytesArrivingWhileATaskRunsAreHeldAndProcessedAfterwards() throws Exception {
    Transport transport = Transport.STREAM;
    LossyNetwork net = LossyNetwork.perfect();
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
