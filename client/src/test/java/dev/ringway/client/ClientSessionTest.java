package dev.ringway.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.core.conn.ConnectionTimeouts;
import dev.ringway.core.conn.DisconnectReason;
import dev.ringway.core.conn.InsideConfig;
import dev.ringway.core.tls.SelfSigned;
import dev.ringway.core.tls.TlsEndpoint;
import dev.ringway.core.tls.Transport;
import dev.ringway.core.tls.TrustPolicy;
import dev.ringway.core.wire.AuthRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconnecting session against the harness server in memory and in virtual time: the test plays
 * the loop, the worker pool and the network, so every behaviour is deterministic. Handshakes and
 * auth are real (DTLS 1.2 through SSLEngine, SHA-512-crypt, RS256).
 */
class ClientSessionTest {
  private static final Duration INITIAL = Duration.ofSeconds(1);
  private static final Duration MAX = Duration.ofSeconds(8);
  private static final ConnectionTimeouts TIMEOUTS =
      new ConnectionTimeouts(
          Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(5));

  @TempDir static Path dir;
  static TestPki pki;

  final AtomicLong clock = new AtomicLong(1_000_000_000L);
  final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  final ArrayDeque<byte[]> toServer = new ArrayDeque<>();
  final ArrayDeque<byte[]> toClient = new ArrayDeque<>();
  final List<byte[]> delivered = new ArrayList<>();
  final List<InsideConfig> onlineConfigs = new ArrayList<>();
  boolean acceptConfig = true;
  boolean blackHole;
  HarnessServer<String> server;
  ClientSession session;

  @BeforeAll
  static void credentials() throws Exception {
    pki = new TestPki(dir);
  }

  @Test
  void aPasswordClientGoesOnlineWithTheServersInsideConfig() throws Exception {
    start(new AuthRequest.UserPass("alice", "secret"));

    runUntil("online", () -> session.status().phase() == ClientStatus.Phase.ONLINE);

    assertThat(session.status().attempts()).isEqualTo(1);
    assertThat(session.status().insideConfig())
        .isEqualTo(new InsideConfig("10.125.0.5", "10.125.0.6", "10.125.0.1", "1350"));
    assertThat(onlineConfigs).hasSize(1);
  }

  @Test
  void aTokenClientGoesOnline() throws Exception {
    start(new AuthRequest.Token(Files.readString(pki.token).strip()));

    runUntil("online", () -> session.status().phase() == ClientStatus.Phase.ONLINE);

    assertThat(server.onlineCount.get()).isEqualTo(1);
  }

  @Test
  void insidePacketsCrossTheTunnelBothWays() throws Exception {
    start(new AuthRequest.UserPass("alice", "secret"));
    runUntil("online", () -> session.status().phase() == ClientStatus.Phase.ONLINE);

    byte[] up = Ipv4Udp.packet("10.125.0.5", 4000, "10.125.0.6", 53, bytes("up"));
    assertThat(session.sendInside(ByteBuffer.wrap(up))).isTrue();
    byte[] down = Ipv4Udp.packet("10.125.0.6", 53, "10.125.0.5", 4000, bytes("down"));
    assertThat(server.sendInside(down)).isEqualTo(1);
    pump();

    assertThat(server.insideReceived).singleElement().satisfies(p -> payloadIs(p, "up"));
    assertThat(delivered).singleElement().satisfies(p -> payloadIs(p, "down"));
    assertThat(session.connection().insidePacketsOut()).isEqualTo(1);
    assertThat(session.connection().insidePacketsIn()).isEqualTo(1);
  }

  @Test
  void anInsidePacketWhileNotOnlineIsDropped() throws Exception {
    start(new AuthRequest.UserPass("alice", "secret"));

    byte[] up = Ipv4Udp.packet("10.125.0.5", 4000, "10.125.0.6", 53, bytes("early"));

    assertThat(session.sendInside(ByteBuffer.wrap(up))).isFalse();
  }

  @Test
  void refusedCredentialsAreReportedAndRetriedAfterAGrowingWait() throws Exception {
    start(new AuthRequest.UserPass("alice", "wrong"));

    runUntil("the first refusal", () -> session.status().phase() == ClientStatus.Phase.WAITING);
    ClientStatus first = session.status();
    assertThat(first.lastDisconnect()).isEqualTo(DisconnectReason.UNAUTHORIZED);
    assertThat(first.lastWait()).isBetween(INITIAL.multipliedBy(3).dividedBy(4), INITIAL);

    advance(first.lastWait().minusMillis(1));
    assertThat(session.status().attempts()).as("no attempt before the wait is over").isEqualTo(1);

    runUntil(
        "the second refusal",
        () ->
            session.status().attempts() == 2
                && session.status().phase() == ClientStatus.Phase.WAITING);
    assertThat(session.status().lastWait())
        .isBetween(INITIAL.multipliedBy(2).multipliedBy(3).dividedBy(4), INITIAL.multipliedBy(2));
    assertThat(session.status().onlineCount()).isZero();
  }

  @Test
  void aServerThatForgotTheSessionIsReconnectedToAtOnce() throws Exception {
    start(new AuthRequest.UserPass("alice", "secret"));
    runUntil("online", () -> session.status().phase() == ClientStatus.Phase.ONLINE);

    server = newServer(); // a restarted server: it knows no session and answers with a reject

    runUntil("online again", () -> session.status().onlineCount() == 2);
    assertThat(session.status().lastDisconnect()).isEqualTo(DisconnectReason.LOCAL);
    assertThat(session.status().attempts()).isEqualTo(2);
  }

  @Test
  void aSilentServerIsGivenUpAfterTheKeepaliveTimeoutAndReconnectedToWhenBack() throws Exception {
    start(new AuthRequest.UserPass("alice", "secret"));
    runUntil("online", () -> session.status().phase() == ClientStatus.Phase.ONLINE);

    blackHole = true;
    runUntil("given up", () -> session.status().phase() == ClientStatus.Phase.WAITING);
    assertThat(session.status().lastDisconnect()).isEqualTo(DisconnectReason.TIMED_OUT);

    blackHole = false;
    server = newServer();
    runUntil("online again", () -> session.status().onlineCount() == 2);
  }

  @Test
  void shutdownSaysGoodbyeAndNeverReconnects() throws Exception {
    start(new AuthRequest.UserPass("alice", "secret"));
    runUntil("online", () -> session.status().phase() == ClientStatus.Phase.ONLINE);

    session.shutdown();
    pump();
    advance(MAX.multipliedBy(2));

    assertThat(session.status().phase()).isEqualTo(ClientStatus.Phase.STOPPED);
    assertThat(session.status().attempts()).isEqualTo(1);
    assertThat(server.endings).containsExactly(DisconnectReason.GOODBYE);
  }

  @Test
  void aServerCertificateFromAnotherAuthorityFailsTheHandshakeAndIsRetried() throws Exception {
    SelfSigned stranger = SelfSigned.generate("stranger", List.of("stranger"));
    start(
        new AuthRequest.UserPass("alice", "secret"),
        TrustPolicy.authorities(List.of(stranger.certificate())));

    runUntil("the refused handshake", () -> session.status().phase() == ClientStatus.Phase.WAITING);

    assertThat(session.status().lastDisconnect()).isEqualTo(DisconnectReason.TLS_FAILURE);
    assertThat(server.onlineCount.get()).isZero();
  }

  @Test
  void anInsideConfigTheHostCannotUseEndsTheConnectionAndBacksOff() throws Exception {
    acceptConfig = false;
    start(new AuthRequest.UserPass("alice", "secret"));

    runUntil("refused config", () -> session.status().phase() == ClientStatus.Phase.WAITING);

    assertThat(session.status().onlineCount()).isZero();
    assertThat(session.status().lastDisconnect()).isEqualTo(DisconnectReason.LOCAL);
  }

  // ---------------------------------------------------------------------------------------------

  private void start(AuthRequest credentials) throws Exception {
    start(credentials, TrustPolicy.caFile(pki.certificate));
  }

  private void start(AuthRequest credentials, TrustPolicy trust) throws Exception {
    server = newServer();
    session =
        new ClientSession(
            Transport.DATAGRAM,
            TlsEndpoint.client(trust),
            credentials,
            TIMEOUTS,
            new Backoff(INITIAL, MAX, new SplittableRandom(5)),
            clock::get,
            tasks::add,
            tasks::add,
            datagram -> toServer.add(copy(datagram)),
            new ClientSession.Inside() {
              @Override
              public void deliver(ByteBuffer buffer, int offset, int length) {
                byte[] packet = new byte[length];
                buffer.get(offset, packet);
                delivered.add(packet);
              }

              @Override
              public boolean online(InsideConfig config) {
                onlineConfigs.add(config);
                return acceptConfig;
              }
            });
    session.start();
  }

  private HarnessServer<String> newServer() throws Exception {
    return new HarnessServer<>(
        pki.serverTls(),
        pki.authenticator(),
        tasks::add,
        tasks::add,
        clock::get,
        (peer, datagram) -> toClient.add(copy(datagram)));
  }

  /** Runs tasks and moves datagrams until nothing is left, without letting time pass. */
  private void pump() {
    boolean any = true;
    while (any) {
      any = false;
      while (!tasks.isEmpty()) {
        tasks.poll().run();
        any = true;
      }
      while (!toServer.isEmpty()) {
        byte[] datagram = toServer.poll();
        if (!blackHole) {
          server.receive("client", ByteBuffer.wrap(datagram));
        }
        any = true;
      }
      while (!toClient.isEmpty()) {
        byte[] datagram = toClient.poll();
        if (!blackHole) {
          session.receiveDatagram(ByteBuffer.wrap(datagram));
        }
        any = true;
      }
    }
  }

  private void advance(Duration duration) {
    long end = clock.get() + duration.toNanos();
    while (clock.get() < end) {
      clock.set(Math.min(end, clock.get() + 10_000_000L));
      session.tick();
      server.tick();
      pump();
    }
  }

  /** Lets virtual time pass in 10 ms steps until {@code done}, for at most two virtual minutes. */
  private void runUntil(String what, BooleanSupplier done) {
    pump();
    for (int step = 0; step < 12_000 && !done.getAsBoolean(); step++) {
      advance(Duration.ofMillis(10));
    }
    assertThat(done.getAsBoolean()).as(what).isTrue();
  }

  private static byte[] copy(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void payloadIs(byte[] packet, String text) {
    assertThat(Ipv4Udp.isUdp(packet)).isTrue();
    assertThat(new String(Ipv4Udp.payload(packet), StandardCharsets.UTF_8)).isEqualTo(text);
  }
}
