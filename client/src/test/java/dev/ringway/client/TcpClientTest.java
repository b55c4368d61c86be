package dev.ringway.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.config.ConfigLoader;
import dev.ringway.config.ConfigOutcome;
import dev.ringway.config.Role;
import dev.ringway.core.conn.DisconnectReason;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.Netns;
import dev.ringway.testkit.NetnsTest;
import dev.ringway.uring.LinuxFiles;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP client on its io_uring loop with a real TUN device, in a network namespace of its own,
 * against the {@link TcpHarness} server on the namespace's loopback: connects on the ring, TLS 1.3
 * on the stream, and a new stream for every attempt.
 */
@NetnsTest
class TcpClientTest {
  private static final String TUN = "rwtun0";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path dir;
  static TestPki pki;

  Netns netns;
  TcpHarness harness;
  TcpClient client;
  Thread clientThread;
  final AtomicReference<Throwable> clientFailure = new AtomicReference<>();

  @BeforeAll
  static void credentials() throws Exception {
    pki = new TestPki(dir);
  }

  @BeforeEach
  void namespaceAndServer() throws Exception {
    netns = Netns.create("client");
    harness = TcpHarness.start(pki, netns.name(), 0);
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (client != null) {
      client.stop();
      clientThread.join(5000);
    }
    if (harness != null) {
      harness.close();
    }
    netns.close();
  }

  @Test
  void aPasswordClientConfiguresItsTunAndCarriesPacketsBothWays() throws Exception {
    startClient(Map.of("auth.user", "alice", "auth.passwordFile", pki.password.toString()));
    awaitOnline(1);
    assertThat(harness.accepted.get()).as("one stream for one attempt").isEqualTo(1);

    assertThat(netns.exec("ip", "-4", "-o", "addr", "show", "dev", TUN).output())
        .contains("inet 10.125.0.5/30");
    assertThat(netns.exec("ip", "-o", "link", "show", "dev", TUN).output())
        .contains("mtu 1350")
        .contains(",UP");

    try (DatagramChannel inside = inNamespace(() -> DatagramChannel.open())) {
      inside.bind(new InetSocketAddress("0.0.0.0", 7777));
      harness.sendInside(Ipv4Udp.packet("10.125.0.6", 53, "10.125.0.5", 7777, bytes("down")));
      assertThat(receive(inside)).isEqualTo("down");

      inside.send(ByteBuffer.wrap(bytes("up")), new InetSocketAddress("10.125.0.6", 9000));
      byte[] arrived =
          Await.value(
              "the packet written into the TUN to reach the harness",
              WAIT,
              () ->
                  harness.server.insideReceived.stream()
                      .filter(p -> Ipv4Udp.isUdp(p) && Ipv4Udp.destinationPort(p) == 9000)
                      .findFirst()
                      .orElse(null));
      assertThat(Ipv4Udp.destination(arrived)).isEqualTo("10.125.0.6");
      assertThat(new String(Ipv4Udp.payload(arrived), StandardCharsets.UTF_8)).isEqualTo("up");
    }
  }

  @Test
  void aTokenClientGoesOnline() throws Exception {
    startClient(Map.of("auth.tokenFile", pki.token.toString()));

    awaitOnline(1);

    assertThat(harness.server.onlineCount.get()).isEqualTo(1);
    assertThat(netns.exec("ip", "-4", "-o", "addr", "show", "dev", TUN).output())
        .contains("inet 10.125.0.5/30");
  }

  @Test
  void aWrongPasswordIsReportedAndRetriedAfterABackoff() throws Exception {
    startClient(Map.of("auth.user", "alice", "auth.passwordFile", pki.wrongPassword.toString()));

    Await.until(
        "a second attempt after the refusal",
        WAIT,
        () -> client.status().attempts() >= 2 && harness.server.connectionsCreated.get() >= 2);

    ClientStatus status = client.status();
    assertThat(status.lastDisconnect()).isEqualTo(DisconnectReason.UNAUTHORIZED);
    assertThat(status.lastWait()).isPositive();
    assertThat(status.onlineCount()).isZero();
    assertThat(netns.exec("ip", "-4", "-o", "addr", "show", "dev", TUN).output())
        .as("an unauthenticated client configures nothing")
        .doesNotContain("inet ");
  }

  @Test
  void aClientReconnectsWhenItsServerComesBack() throws Exception {
    startClient(Map.of("auth.user", "alice", "auth.passwordFile", pki.password.toString()));
    awaitOnline(1);
    int port = harness.address().getPort();

    harness.close();
    harness = null;
    Await.until(
        "the client to notice the server is gone",
        WAIT,
        () -> client.status().phase() != ClientStatus.Phase.ONLINE);
    harness = TcpHarness.start(pki, netns.name(), port);

    awaitOnline(2);
    try (DatagramChannel inside = inNamespace(() -> DatagramChannel.open())) {
      inside.bind(new InetSocketAddress("0.0.0.0", 7777));
      harness.sendInside(Ipv4Udp.packet("10.125.0.6", 53, "10.125.0.5", 7777, bytes("again")));
      assertThat(receive(inside)).isEqualTo("again");
    }
  }

  @Test
  void aClientWhoseStreamIsCutReconnectsOnANewStream() throws Exception {
    startClient(Map.of("auth.user", "alice", "auth.passwordFile", pki.password.toString()));
    awaitOnline(1);

    harness.dropStreams();

    awaitOnline(2);
    assertThat(client.status().lastDisconnect()).isEqualTo(DisconnectReason.PEER_CLOSED);
    assertThat(harness.accepted.get()).isEqualTo(2);
    try (DatagramChannel inside = inNamespace(() -> DatagramChannel.open())) {
      inside.bind(new InetSocketAddress("0.0.0.0", 7777));
      harness.sendInside(Ipv4Udp.packet("10.125.0.6", 53, "10.125.0.5", 7777, bytes("new")));
      assertThat(receive(inside)).isEqualTo("new");
    }
  }

  @Test
  void aRecordThatDoesNotDecryptEndsTheConnectionAndTheClientReconnects() throws Exception {
    startClient(Map.of("auth.user", "alice", "auth.passwordFile", pki.password.toString()));
    awaitOnline(1);
    // A whole application-data record that no key decrypts: the record layer must refuse it.
    byte[] junk = new byte[5 + 100];
    new SplittableRandom(11).nextBytes(junk);
    junk[0] = 0x17;
    junk[1] = 0x03;
    junk[2] = 0x03;
    junk[3] = 0;
    junk[4] = 100;

    harness.sendJunk(junk);

    awaitOnline(2);
    assertThat(client.status().lastDisconnect()).isEqualTo(DisconnectReason.TLS_FAILURE);
    assertThat(harness.accepted.get()).isEqualTo(2);
  }

  @Test
  void aRefusedConnectIsRetriedAfterABackoffUntilTheServerListens() throws Exception {
    int port = harness.address().getPort();
    harness.close();
    harness = null;
    startClient(
        Map.of(
            "server",
            "127.0.0.1:" + port,
            "auth.user",
            "alice",
            "auth.passwordFile",
            pki.password.toString()));

    Await.until("a second refused attempt", WAIT, () -> client.status().attempts() >= 2);
    assertThat(client.status().phase()).isNotEqualTo(ClientStatus.Phase.ONLINE);
    assertThat(client.status().lastWait()).isPositive();

    harness = TcpHarness.start(pki, netns.name(), port);
    awaitOnline(1);
  }

  @Test
  void aConnectThatIsNeverAnsweredIsGivenUpAtTheKeepaliveTimeoutAndRetried() throws Exception {
    // A TUN device nobody reads has no carrier: SYNs routed into it vanish without an answer.
    netns.exec("ip", "tuntap", "add", "mode", "tun", "name", "rwhole0").orThrow();
    netns.exec("ip", "addr", "add", "192.0.2.1/24", "dev", "rwhole0").orThrow();
    netns.exec("ip", "link", "set", "rwhole0", "up").orThrow();
    startClient(
        Map.of(
            "server",
            "192.0.2.9:27690",
            "auth.user",
            "alice",
            "auth.passwordFile",
            pki.password.toString()));

    Await.until("a second attempt", WAIT, () -> client.status().attempts() >= 2);

    assertThat(client.status().lastDisconnect()).isEqualTo(DisconnectReason.TIMED_OUT);
    assertThat(client.status().onlineCount()).isZero();
  }

  @Test
  void aLargeInsidePacketCrossesTheStreamWhole() throws Exception {
    startClient(Map.of("auth.user", "alice", "auth.passwordFile", pki.password.toString()));
    awaitOnline(1);
    byte[] payload = new byte[1300];
    new SplittableRandom(4).nextBytes(payload);

    try (DatagramChannel inside = inNamespace(() -> DatagramChannel.open())) {
      inside.send(ByteBuffer.wrap(payload), new InetSocketAddress("10.125.0.6", 9001));
      byte[] arrived =
          Await.value(
              "the 1300-byte packet at the harness",
              WAIT,
              () ->
                  harness.server.insideReceived.stream()
                      .filter(p -> Ipv4Udp.isUdp(p) && Ipv4Udp.destinationPort(p) == 9001)
                      .findFirst()
                      .orElse(null));
      assertThat(Ipv4Udp.payload(arrived)).isEqualTo(payload);
    }
  }

  @Test
  void stoppingSaysGoodbyeAndEndsTheRun() throws Exception {
    startClient(Map.of("auth.user", "alice", "auth.passwordFile", pki.password.toString()));
    awaitOnline(1);

    client.stop();
    clientThread.join(5000);

    assertThat(clientThread.isAlive()).isFalse();
    assertThat(clientFailure.get()).isNull();
    assertThat(client.status().phase()).isEqualTo(ClientStatus.Phase.STOPPED);
    Await.until(
        "the harness to receive the Goodbye",
        WAIT,
        () -> harness.server.endings.contains(DisconnectReason.GOODBYE));
  }

  @Test
  void aTunNameTakenByAnotherKindOfInterfaceEndsTheRunWithTheReason() throws Exception {
    startClient(
        Map.of(
            "auth.user",
            "alice",
            "auth.passwordFile",
            pki.password.toString(),
            "network.tun",
            "lo"));

    clientThread.join(10_000);

    assertThat(clientFailure.get())
        .isInstanceOf(ClientFailure.class)
        .hasMessageContaining("not a TUN device");
    assertThat(harness.server.connectionsCreated.get()).isZero();
  }

  // ---------------------------------------------------------------------------------------------

  private void startClient(Map<String, String> overrides) throws Exception {
    Map<String, String> sets = new LinkedHashMap<>();
    sets.put("mode", "tcp");
    if (harness != null) {
      sets.put("server", "127.0.0.1:" + harness.address().getPort());
    }
    sets.put("tls.ca", pki.certificate.toString());
    sets.put("network.tun", TUN);
    sets.put("keepalive.interval", "1s");
    sets.put("keepalive.timeout", "2s");
    sets.put("reconnect.initialBackoff", "200ms");
    sets.put("reconnect.maxBackoff", "1s");
    sets.put("io.ring.entries", "128");
    sets.put("io.tun.rxSlots", "8");
    sets.put("io.tx.slots", "64");
    sets.put("io.tcp.maxConnections", "4");
    sets.putAll(overrides);
    ClientSettings settings =
        switch (ConfigLoader.load(null, sets, Role.CLIENT)) {
          case ConfigOutcome.Valid valid -> ClientSettings.from(valid.config());
          case ConfigOutcome.Invalid invalid -> throw new AssertionError(invalid.errors());
        };
    client = new TcpClient(settings, new SplittableRandom(9));
    String namespace = netns.name();
    clientThread =
        Thread.ofPlatform()
            .name("client-loop")
            .start(() -> {
              try {
                LinuxFiles.enterNetworkNamespace(namespace);
                client.run();
              } catch (Throwable t) {
                clientFailure.set(t);
              }
            });
  }

  private void awaitOnline(int times) {
    Await.until(
        "the client online (time " + times + ")",
        WAIT,
        () -> {
          if (clientFailure.get() != null) {
            throw new AssertionError("the client failed", clientFailure.get());
          }
          ClientStatus status = client.status();
          return status.phase() == ClientStatus.Phase.ONLINE && status.onlineCount() == times;
        });
  }

  /** Runs {@code action} on a platform thread inside the test's namespace. */
  private <T> T inNamespace(Callable<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    String namespace = netns.name();
    Thread.ofPlatform()
        .start(() -> {
          try {
            LinuxFiles.enterNetworkNamespace(namespace);
            result.complete(action.call());
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
    return result.get(10, TimeUnit.SECONDS);
  }

  /** The payload of the next datagram on {@code channel}, waiting at most {@link #WAIT}. */
  private static String receive(DatagramChannel channel) throws Exception {
    channel.configureBlocking(false);
    ByteBuffer buffer = ByteBuffer.allocate(2048);
    Await.until(
        "a datagram on " + channel.getLocalAddress(),
        WAIT,
        () -> {
          try {
            return channel.receive(buffer) != null;
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
        });
    buffer.flip();
    return StandardCharsets.UTF_8.decode(buffer).toString();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
