package dev.ringway.core.conn;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ringway.core.ip.Ipv4Cidr;
import dev.ringway.core.tls.SecureChannel;
import dev.ringway.core.tls.Transport;
import dev.ringway.core.wire.AuthRequest;
import dev.ringway.core.wire.DataFrag;
import dev.ringway.core.wire.FrameCodec;
import dev.ringway.core.wire.ProtocolVersion;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConnectionTest {
  static final AuthRequest ALICE = new AuthRequest.UserPass("alice", "secret");

  static String token(Tunnel tunnel, Duration validFor) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.RS256),
            new JWTClaimsSet.Builder()
                .subject("device-1")
                .expirationTime(Date.from(tunnel.wallNow().plus(validFor)))
                .build());
    jwt.sign(new RSASSASigner(Tunnel.TOKEN_KEY.getPrivate()));
    return jwt.serialize();
  }

  static boolean online(Tunnel.Peer peer) {
    return peer.connection.state() == ConnectionState.ONLINE
        && peer.server() != null
        && peer.server().state() == ConnectionState.ONLINE;
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void userAndPasswordBringBothSidesOnlineWithThePoolAddress(Transport transport) {
    Tunnel tunnel = new Tunnel(transport);
    Tunnel.Peer alice = tunnel.client("198.51.100.1:5000", ALICE);

    tunnel.runUntil(() -> online(alice));

    Connection server = alice.server();
    assertThat(alice.connection.insideConfig())
        .contains(new InsideConfig("10.125.0.5", "10.125.0.6", "10.125.0.1", "1350"));
    assertThat(server.insideAddress()).isPresent();
    assertThat(tunnel.pool.isAllocated(server.insideAddress().orElseThrow())).isTrue();
    assertThat(server.tls().protocol())
        .isEqualTo(transport == Transport.STREAM ? "TLSv1.3" : "DTLSv1.3");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void insidePacketsAreTranslatedBothWaysWithValidChecksums(Transport transport) {
    Tunnel tunnel = new Tunnel(transport);
    Tunnel.Peer alice = tunnel.client("198.51.100.1:5000", ALICE);
    tunnel.runUntil(() -> online(alice));
    String poolAddress = alice.server().insideAddress().orElseThrow().toString();

    byte[] outbound = Packets.udp("10.125.0.5", "8.8.8.8", "query".getBytes());
    assertThat(alice.connection.sendInside(ByteBuffer.wrap(outbound))).isTrue();
    tunnel.runUntil(() -> !tunnel.serverHost.tun.isEmpty());

    byte[] onServerTun = tunnel.serverHost.tun.getFirst();
    assertThat(Packets.source(onServerTun)).isEqualTo(poolAddress);
    assertThat(Packets.checksumsValid(onServerTun)).isTrue();

    byte[] reply = Packets.udp("8.8.8.8", poolAddress, "answer".getBytes());
    assertThat(alice.server().sendInside(ByteBuffer.wrap(reply))).isTrue();
    tunnel.runUntil(() -> !alice.tun.isEmpty());

    byte[] onClientTun = alice.tun.getFirst();
    assertThat(Packets.destination(onClientTun)).isEqualTo("10.125.0.5");
    assertThat(Packets.checksumsValid(onClientTun)).isTrue();
    assertThat(alice.server().insidePacketsIn()).isEqualTo(1);
    assertThat(alice.server().insidePacketsOut()).isEqualTo(1);
  }

  @Test
  void overTcpTheFirstFrameMayArriveInTheSameReadAsTheEndOfTheHandshake() {
    Tunnel tunnel = new Tunnel(Transport.STREAM);
    tunnel.coalesce = true;
    Tunnel.Peer alice = tunnel.client("198.51.100.1:5000", ALICE);

    tunnel.runUntil(() -> online(alice));

    assertThat(alice.serverSide.state()).isEqualTo(ConnectionState.ONLINE);
  }

  @Test
  void versionedTokenOverTcpSwitchesTheTunnelVersion() throws Exception {
    Tunnel tunnel = new Tunnel(Transport.STREAM);
    Tunnel.Peer device =
        tunnel.client(
            "198.51.100.2:6000",
            new AuthRequest.VersionedToken(
                ProtocolVersion.V1_3, token(tunnel, Duration.ofHours(1))));
    assertThat(device.serverSide.version()).isEqualTo(ProtocolVersion.V1_1);

    tunnel.runUntil(() -> online(device));

    assertThat(device.serverSide.version()).isEqualTo(ProtocolVersion.V1_3);
  }

  @Test
  void tokenAuthWorksOverUdp() throws Exception {
    Tunnel tunnel = new Tunnel(Transport.DATAGRAM);
    Tunnel.Peer device =
        tunnel.client(
            "198.51.100.2:6000", new AuthRequest.Token(token(tunnel, Duration.ofHours(1))));

    tunnel.runUntil(() -> online(device));

    assertThat(device.server().version()).isEqualTo(ProtocolVersion.V1_3);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void refusedCredentialsEndInAuthFailureAndGoodbye(Transport transport) throws Exception {
    Tunnel tunnel = new Tunnel(transport);
    Tunnel.Peer mallory =
        tunnel.client("203.0.113.9:4000", new AuthRequest.UserPass("alice", "guess"));

    tunnel.runUntil(() -> mallory.disconnected != null);

    // AuthFailure precedes Goodbye on the wire, so the client names the refusal, not the goodbye.
    assertThat(mallory.disconnected).isEqualTo(DisconnectReason.UNAUTHORIZED);
    assertThat(tunnel.serverHost.disconnected).containsValue(DisconnectReason.ACCESS_DENIED);
    assertThat(tunnel.pool.allocatedCount()).as("inside address released").isZero();
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    Tunnel tunnel = new Tunnel(Transport.STREAM);
    Tunnel.Peer device =
        tunnel.client(
            "198.51.100.2:6000", new AuthRequest.Token(token(tunnel, Duration.ofMinutes(-5))));

    tunnel.runUntil(() -> device.disconnected != null);

    assertThat(device.disconnected).isEqualTo(DisconnectReason.UNAUTHORIZED);
  }

  @Test
  void customCallbackAuthIsAlwaysDenied() {
    Tunnel tunnel = new Tunnel(Transport.STREAM);
    Tunnel.Peer device =
        tunnel.client("198.51.100.2:6000", new AuthRequest.CustomCallback(new byte[] {1, 2}));

    tunnel.runUntil(() -> device.disconnected != null);

    assertThat(device.disconnected).isEqualTo(DisconnectReason.UNAUTHORIZED);
  }

  @Test
  void anExhaustedPoolAnswersAuthFailure() {
    // A /30 has two hosts; reserving none of them in the default settings leaves 2 addresses.
    Tunnel tunnel = new Tunnel(Transport.STREAM, 1, 0, 0, 0, Ipv4Cidr.parse("192.168.77.0/30"));
    Tunnel.Peer first = tunnel.client("198.51.100.1:1", ALICE);
    Tunnel.Peer second = tunnel.client("198.51.100.2:1", ALICE);
    Tunnel.Peer third = tunnel.client("198.51.100.3:1", ALICE);

    tunnel.runUntil(() -> third.disconnected != null && online(first) && online(second));

    assertThat(third.disconnected).isEqualTo(DisconnectReason.UNAUTHORIZED);
    assertThat(tunnel.serverHost.disconnected.get(third.serverSide))
        .isEqualTo(DisconnectReason.NO_AVAILABLE_CLIENT_IP);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void goodbyeFromTheClientReleasesTheServerSide(Transport transport) {
    Tunnel tunnel = new Tunnel(transport);
    Tunnel.Peer alice = tunnel.client("198.51.100.1:5000", ALICE);
    tunnel.runUntil(() -> online(alice));
    Connection server = alice.server();

    alice.connection.disconnect(DisconnectReason.LOCAL);
    tunnel.runUntil(() -> server.state() == ConnectionState.DISCONNECTED);

    assertThat(tunnel.serverHost.disconnected.get(server)).isEqualTo(DisconnectReason.GOODBYE);
    assertThat(tunnel.pool.allocatedCount()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void clientKeepalivePingsAreAnsweredWithPongs(Transport transport) {
    Tunnel tunnel = new Tunnel(transport);
    Tunnel.Peer alice = tunnel.client("198.51.100.1:5000", ALICE);
    tunnel.runUntil(() -> online(alice));

    // Ten minutes of virtual time: a ping every 10 s, each answered, so the link stays up.
    long end = tunnel.clock.get() + Duration.ofMinutes(10).toNanos();
    tunnel.runUntil(() -> tunnel.clock.get() >= end);

    assertThat(alice.connection.state()).isEqualTo(ConnectionState.ONLINE);
    assertThat(alice.server().state()).isEqualTo(ConnectionState.ONLINE);
  }

  @Test
  void aClientWhosePingsGoUnansweredTimesOut() {
    Tunnel tunnel = new Tunnel(Transport.DATAGRAM);
    Tunnel.Peer alice = tunnel.client("198.51.100.1:5000", ALICE);
    tunnel.runUntil(() -> online(alice));

    tunnel.drop = 1.0; // the network dies
    tunnel.runUntil(() -> alice.disconnected != null);

    assertThat(alice.disconnected).isEqualTo(DisconnectReason.TIMED_OUT);
  }

  @Test
  void aServerConnectionNotOnlineWithinAMinuteIsClosedAsStale() {
    Tunnel tunnel = new Tunnel(Transport.STREAM);
    Tunnel.Peer silent = tunnel.client("198.51.100.1:5000", ALICE);
    tunnel.drop = 0;
    silent.outbox.clear(); // the ClientHello never arrives
    tunnel.clock.addAndGet(Duration.ofSeconds(61).toNanos());

    silent.serverSide.onTimer();

    assertThat(silent.serverSide.disconnectReason()).contains(DisconnectReason.STALE);
  }

  @Test
  void aClientThatCannotConnectGivesUpAfterAMinute() {
    Tunnel tunnel = new Tunnel(Transport.STREAM);
    long created = tunnel.clock.get();
    Tunnel.Peer lonely = tunnel.client("198.51.100.1:5000", ALICE);
    lonely.outbox.clear(); // the server never hears of it

    long deadline = lonely.connection.nextDeadlineNanos();
    tunnel.clock.set(deadline - 1);
    lonely.connection.onTimer();
    assertThat(lonely.disconnected).isNull();
    tunnel.clock.set(deadline);
    lonely.connection.onTimer();

    assertThat(deadline - created).isEqualTo(Duration.ofSeconds(60).toNanos());
    assertThat(lonely.disconnected).isEqualTo(DisconnectReason.TIMED_OUT);
  }

  @Test
  void aUdpClientRepeatsItsAuthRequestUntilAnswered() {
    Tunnel tunnel = new Tunnel(Transport.DATAGRAM);
    Tunnel.Peer alice = tunnel.client("198.51.100.1:5000", ALICE);
    tunnel.runUntil(() -> alice.connection.state() == ConnectionState.AUTHENTICATING);
    for (byte[] datagram : alice.outbox) {
      tunnel.demux.receive(alice.sendFrom, ByteBuffer.wrap(datagram));
    }
    alice.outbox.clear();
    while (!tunnel.workQueue.isEmpty()) {
      tunnel.workQueue.poll().run(); // the server checks the password and answers
    }
    alice.inbox.clear(); // but the AuthSuccess is lost
    assertThat(alice.server().state()).isEqualTo(ConnectionState.ONLINE);
    assertThat(alice.connection.state()).isEqualTo(ConnectionState.AUTHENTICATING);

    tunnel.runUntil(() -> online(alice));

    assertThat(alice.connection.insideConfig()).isPresent();
  }

  @Test
  void udpClientSendsEachDatagramThreeTimesUntilOnlineAndOnceAfter() {
    Tunnel tunnel = new Tunnel(Transport.DATAGRAM);
    Tunnel.Peer alice = tunnel.client("198.51.100.1:5000", ALICE);
    // The ClientHello waits for its key share, made on a worker.
    while (!tunnel.workQueue.isEmpty()) {
      tunnel.workQueue.poll().run();
    }

    assertThat(alice.sentDatagrams).hasSize(3);
    assertThat(alice.sentDatagrams.get(0))
        .isEqualTo(alice.sentDatagrams.get(1))
        .isEqualTo(alice.sentDatagrams.get(2));
    tunnel.runUntil(() -> online(alice));
    alice.sentDatagrams.clear();

    alice.connection.sendInside(ByteBuffer.wrap(Packets.udp("10.125.0.5", "1.1.1.1", new byte[8])));

    assertThat(alice.sentDatagrams).hasSize(1);
  }

  @Test
  void udpClientUsesTheEmptySessionUntilAuthenticatedThenTheServers() {
    Tunnel tunnel = new Tunnel(Transport.DATAGRAM);
    Tunnel.Peer alice = tunnel.client("198.51.100.1:5000", ALICE);
    tunnel.runUntil(() -> online(alice));
    long serverSession = alice.server().session().value();
    // Everything before AuthSuccess, the AuthRequest included, carried EMPTY (§3.7).
    assertThat(alice.sentDatagrams)
        .isNotEmpty()
        .allSatisfy(d -> assertThat(ByteBuffer.wrap(d).getLong(8)).isZero());
    alice.sentDatagrams.clear();

    alice.connection.sendInside(ByteBuffer.wrap(Packets.udp("10.125.0.5", "1.1.1.1", new byte[8])));

    assertThat(alice.connection.session().value()).isEqualTo(serverSession);
    assertThat(ByteBuffer.wrap(alice.sentDatagrams.getFirst()).getLong(8)).isEqualTo(serverSession);
  }

  @Test
  void udpToleratesNonIpv4InsidePacketsButTcpDisconnects() {
    byte[] ipv6 = new byte[40];
    ipv6[0] = 0x60;
    for (Transport transport : Transport.values()) {
      Tunnel tunnel = new Tunnel(transport);
      Tunnel.Peer alice = tunnel.client("198.51.100.1:5000", ALICE);
      tunnel.runUntil(() -> online(alice));

      sendRawFrame(tunnel, alice, dataFrame(ipv6));
      tunnel.settle();

      if (transport == Transport.DATAGRAM) {
        assertThat(alice.server().state()).isEqualTo(ConnectionState.ONLINE);
        assertThat(alice.server().droppedPackets()).isEqualTo(1);
      } else {
        assertThat(tunnel.serverHost.disconnected.get(alice.serverSide))
            .isEqualTo(DisconnectReason.INVALID_INSIDE_PACKET);
      }
    }
  }

  @Test
  void overUdpAnUnknownFrameTypeCostsOnlyItsRecordButABadAuthMethodIsFatal() {
    Tunnel tunnel = new Tunnel(Transport.DATAGRAM);
    Tunnel.Peer alice = tunnel.client("198.51.100.1:5000", ALICE);
    tunnel.runUntil(() -> online(alice));
    Connection server = alice.server();

    sendRawFrame(tunnel, alice, new byte[] {0x7f, 0x01, 0x02});
    tunnel.settle();
    assertThat(server.state()).isEqualTo(ConnectionState.ONLINE);
    assertThat(server.nonFatalErrors()).isEqualTo(1);

    sendRawFrame(tunnel, alice, new byte[] {0x04, 0x09}); // AuthRequest with method 9
    tunnel.settle();
    assertThat(tunnel.serverHost.disconnected.get(server)).isEqualTo(DisconnectReason.WIRE_ERROR);
  }

  @Test
  void dataFragmentsAreReassembledIntoOneInsidePacket() {
    Tunnel tunnel = new Tunnel(Transport.STREAM);
    Tunnel.Peer alice = tunnel.client("198.51.100.1:5000", ALICE);
    tunnel.runUntil(() -> online(alice));
    byte[] packet = Packets.udp("10.125.0.5", "9.9.9.9", new byte[100]);

    // Out of order: the tail first, then the head.
    sendRawFrame(tunnel, alice, fragment(packet, 7, 64, packet.length - 64, false));
    sendRawFrame(tunnel, alice, fragment(packet, 7, 0, 64, true));
    tunnel.runUntil(() -> !tunnel.serverHost.tun.isEmpty());

    byte[] delivered = tunnel.serverHost.tun.getFirst();
    assertThat(delivered).hasSize(packet.length);
    assertThat(Packets.checksumsValid(delivered)).isTrue();
    assertThat(Packets.source(delivered))
        .isEqualTo(alice.serverSide.insideAddress().orElseThrow().toString());
  }

  @Test
  void udpDataSurvivesADroppingDuplicatingReorderingNetworkWithoutDuplicates() {
    for (long seed = 1; seed <= 5; seed++) {
      Tunnel tunnel =
          new Tunnel(Transport.DATAGRAM, seed, 0.15, 0.15, 0.15, Ipv4Cidr.parse("10.125.0.0/24"));
      Tunnel.Peer alice = tunnel.client("198.51.100.1:5000", ALICE);
      tunnel.runUntil(() -> online(alice)); // lost AuthRequests or AuthSuccesses: asked again

      Set<String> sent = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        byte[] payload = ("packet-" + i).getBytes();
        sent.add(new String(payload));
        alice.connection.sendInside(ByteBuffer.wrap(Packets.udp("10.125.0.5", "8.8.4.4", payload)));
        tunnel.step();
      }
      tunnel.step();

      List<String> received =
          tunnel.serverHost.tun.stream().map(p -> new String(p, 28, p.length - 28)).toList();
      assertThat(received).as("seed %d", seed).doesNotHaveDuplicates().isSubsetOf(sent);
      assertThat(received.size()).as("seed %d", seed).isGreaterThan(50);
    }
  }

  static byte[] dataFrame(byte[] packet) {
    ByteBuffer frame = ByteBuffer.allocate(3 + packet.length);
    FrameCodec.encodeDataHeader(frame, packet.length);
    return frame.put(packet).array();
  }

  static byte[] fragment(byte[] packet, int id, int offset, int length, boolean more) {
    byte[] chunk = new byte[length];
    System.arraycopy(packet, offset, chunk, 0, length);
    return encode(new DataFrag(false, id, offset, more, chunk));
  }

  static byte[] encode(dev.ringway.core.wire.Frame frame) {
    ByteBuffer out = ByteBuffer.allocate(FrameCodec.encodedLength(frame));
    FrameCodec.encode(frame, out);
    return out.array();
  }

  /** Sends a hand-made frame through the client's own TLS session, as a peer with other ideas. */
  static void sendRawFrame(Tunnel tunnel, Tunnel.Peer peer, byte[] frame) {
    SecureChannel tls = peer.connection.tls();
    SecureChannel.Output toServer =
        new SecureChannel.Output() {
          @Override
          public void outsideBytes(ByteBuffer bytes) {
            if (tunnel.transport == Transport.STREAM) {
              peer.outbox.add(Tunnel.copy(bytes));
            } else {
              ByteBuffer datagram = ByteBuffer.allocate(16 + bytes.remaining());
              dev.ringway.core.wire.OuterHeader.encode(
                  datagram, peer.connection.version(), false, peer.connection.session());
              datagram.put(bytes);
              peer.outbox.add(datagram.array());
            }
          }

          @Override
          public void plaintext(ByteBuffer plaintext) {}
        };
    try {
      tls.send(ByteBuffer.wrap(frame), toServer);
    } catch (javax.net.ssl.SSLException e) {
      throw new AssertionError(e);
    }
  }
}
