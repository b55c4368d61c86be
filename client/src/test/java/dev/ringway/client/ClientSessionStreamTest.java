package dev.ringway.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.core.conn.Connection;
import dev.ringway.core.conn.ConnectionTimeouts;
import dev.ringway.core.conn.DisconnectReason;
import dev.ringway.core.conn.InsideConfig;
import dev.ringway.core.tls.TlsEndpoint;
import dev.ringway.core.tls.Transport;
import dev.ringway.core.tls.TrustPolicy;
import dev.ringway.core.wire.AuthRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconnecting session over TCP, in memory and in virtual time: the test plays the loop, the
 * workers and the streams — it answers each {@link ClientSession.Outside#open()} by connecting a
 * fresh stream connection of the harness server, or by failing it. TLS 1.3 and auth are real.
 */
class ClientSessionStreamTest {
  private static final Duration INITIAL = Duration.ofSeconds(1);
  private static final Duration MAX = Duration.ofSeconds(8);
  private static final Duration ATTEMPT = Duration.ofSeconds(5);
  private static final ConnectionTimeouts TIMEOUTS =
      new ConnectionTimeouts(ATTEMPT, Duration.ofHours(1), Duration.ofSeconds(1), ATTEMPT);

  @TempDir static Path dir;
  static TestPki pki;

  final AtomicLong clock = new AtomicLong(1_000_000_000L);
  final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  final ArrayDeque<byte[]> toServer = new ArrayDeque<>();
  final ArrayDeque<byte[]> toClient = new ArrayDeque<>();
  final List<byte[]> delivered = new ArrayList<>();

  /** What the session asked of its outside, in order: "open", "close". */
  final List<String> requests = new ArrayList<>();

  boolean room = true;
  HarnessServer<String> server;
  Connection serverSide;
  ClientSession session;

  @BeforeAll
  static void credentials() throws Exception {
    pki = new TestPki(dir);
  }

  @BeforeEach
  void serverAndSession() throws Exception {
    server =
        new HarnessServer<>(
            pki.serverTls(),
            pki.authenticator(),
            tasks::add,
            tasks::add,
            clock::get,
            (peer, bytes) -> toClient.add(copy(bytes)));
    session =
        new ClientSession(
            Transport.STREAM,
            TlsEndpoint.client(TrustPolicy.caFile(pki.certificate)),
            new AuthRequest.UserPass("alice", "secret"),
            TIMEOUTS,
            new Backoff(INITIAL, MAX, new SplittableRandom(5)),
            clock::get,
            tasks::add,
            tasks::add,
            new ClientSession.Outside() {
              @Override
              public void send(ByteBuffer bytes) {
                toServer.add(copy(bytes));
              }

              @Override
              public void open() {
                requests.add("open");
              }

              @Override
              public void close() {
                requests.add("close");
              }

              @Override
              public boolean hasRoom(int length) {
                return room;
              }
            },
            new ClientSession.Inside() {
              @Override
              public void deliver(ByteBuffer buffer, int offset, int length) {
                byte[] packet = new byte[length];
                buffer.get(offset, packet);
                delivered.add(packet);
              }

              @Override
              public boolean online(InsideConfig config) {
                return true;
              }
            });
  }

  @Test
  void theHandshakeWaitsForTheStreamToBeOpen() {
    session.start();

    assertThat(requests).containsExactly("open");
    assertThat(toServer).as("nothing to send before the stream exists").isEmpty();
    assertThat(session.connection()).isNull();
    assertThat(session.status().phase()).isEqualTo(ClientStatus.Phase.CONNECTING);

    openStream();

    assertThat(toServer).as("the ClientHello").isNotEmpty();
  }

  @Test
  void anOpenStreamGoesOnlineOverTls13AndCarriesPacketsBothWays() {
    session.start();
    openStream();
    runUntil("online", () -> session.status().phase() == ClientStatus.Phase.ONLINE);

    assertThat(session.connection().tls().protocol()).isEqualTo("TLSv1.3");
    byte[] up = Ipv4Udp.packet("10.125.0.5", 4000, "10.125.0.6", 53, bytes("up"));
    assertThat(session.sendInside(ByteBuffer.wrap(up))).isTrue();
    byte[] down = Ipv4Udp.packet("10.125.0.6", 53, "10.125.0.5", 4000, bytes("down"));
    assertThat(server.sendInside(down)).isEqualTo(1);
    pump();

    assertThat(server.insideReceived).singleElement().satisfies(p -> payloadIs(p, "up"));
    assertThat(delivered).singleElement().satisfies(p -> payloadIs(p, "down"));
  }

  @Test
  void aStreamThatCannotBeOpenedIsRetriedAfterTheBackoff() {
    session.start();

    session.pathFailed("connection refused");

    ClientStatus status = session.status();
    assertThat(status.phase()).isEqualTo(ClientStatus.Phase.WAITING);
    assertThat(status.lastDisconnect()).isEqualTo(DisconnectReason.PEER_CLOSED);
    assertThat(requests).containsExactly("open", "close");
    advance(status.lastWait().minusMillis(10));
    assertThat(requests).as("no new stream before the wait is over").hasSize(2);
    advance(Duration.ofMillis(20));
    assertThat(requests).containsExactly("open", "close", "open");
    assertThat(session.status().attempts()).isEqualTo(2);
  }

  @Test
  void anOpenThatIsNeverAnsweredIsGivenUpAfterTheAttemptTime() {
    session.start();

    advance(ATTEMPT.minusMillis(20));
    assertThat(session.status().phase()).isEqualTo(ClientStatus.Phase.CONNECTING);
    advance(Duration.ofMillis(20));

    assertThat(session.status().phase()).isEqualTo(ClientStatus.Phase.WAITING);
    assertThat(session.status().lastDisconnect()).isEqualTo(DisconnectReason.TIMED_OUT);
    assertThat(requests).containsExactly("open", "close");
    session.pathOpened();
    assertThat(session.connection()).as("a late answer starts nothing").isNull();
  }

  @Test
  void theEndOfTheStreamEndsTheConnectionAndTheNextAttemptOpensANewOne() {
    session.start();
    openStream();
    runUntil("online", () -> session.status().phase() == ClientStatus.Phase.ONLINE);

    session.streamClosed();

    assertThat(session.status().phase()).isEqualTo(ClientStatus.Phase.WAITING);
    assertThat(session.status().lastDisconnect()).isEqualTo(DisconnectReason.PEER_CLOSED);
    assertThat(requests).containsExactly("open", "close");
    serverSide.streamClosed();
    toServer.clear();
    runUntil("a new stream asked for", () -> requests.size() == 3);
    openStream();
    runUntil("online again", () -> session.status().onlineCount() == 2);
  }

  @Test
  void withoutRoomOnTheStreamAnInsidePacketIsDroppedBeforeItIsEncrypted() {
    session.start();
    openStream();
    runUntil("online", () -> session.status().phase() == ClientStatus.Phase.ONLINE);
    room = false;

    byte[] up = Ipv4Udp.packet("10.125.0.5", 4000, "10.125.0.6", 53, bytes("up"));

    assertThat(session.sendInside(ByteBuffer.wrap(up))).isFalse();
    assertThat(toServer).isEmpty();
    assertThat(session.connection().insidePacketsOut()).isZero();
  }

  @Test
  void shutdownSaysGoodbyeOnTheStreamAndThenClosesIt() {
    session.start();
    openStream();
    runUntil("online", () -> session.status().phase() == ClientStatus.Phase.ONLINE);

    session.shutdown();

    assertThat(requests).containsExactly("open", "close");
    assertThat(toServer).as("Goodbye and close_notify, before the close").isNotEmpty();
    pump();
    assertThat(server.endings).containsExactly(DisconnectReason.GOODBYE);
    assertThat(session.status().phase()).isEqualTo(ClientStatus.Phase.STOPPED);
  }

  @Test
  void shutdownWhileTheStreamIsOpeningGivesTheOpenUp() {
    session.start();

    session.shutdown();
    session.pathOpened();
    advance(MAX.multipliedBy(2));

    assertThat(requests).containsExactly("open", "close");
    assertThat(session.connection()).isNull();
    assertThat(session.status().phase()).isEqualTo(ClientStatus.Phase.STOPPED);
  }

  // ---------------------------------------------------------------------------------------------

  /** Answers the session's open with a new stream to the harness server. */
  private void openStream() {
    serverSide = server.acceptStream("client");
    session.pathOpened();
  }

  /** Runs tasks and moves stream bytes until nothing is left, without letting time pass. */
  private void pump() {
    boolean any = true;
    while (any) {
      any = false;
      while (!tasks.isEmpty()) {
        tasks.poll().run();
        any = true;
      }
      while (!toServer.isEmpty()) {
        serverSide.receiveStream(ByteBuffer.wrap(toServer.poll()));
        any = true;
      }
      while (!toClient.isEmpty()) {
        session.receiveStream(ByteBuffer.wrap(toClient.poll()));
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
