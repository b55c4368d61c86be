package dev.ringway.core.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.core.tls.Transport;
import dev.ringway.core.wire.AuthRequest;
import dev.ringway.core.wire.SessionId;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The demultiplexing algorithm of §3.8, case by case, against real DTLS connections. */
class UdpDemuxTest {
  static final AuthRequest ALICE = new AuthRequest.UserPass("alice", "secret");
  static final String REJECT_NOTICE = "4865010100000000ffffffffffffffff";

  final Tunnel tunnel = new Tunnel(Transport.DATAGRAM);

  Tunnel.Peer onlineAlice() {
    Tunnel.Peer alice = tunnel.client("198.51.100.1:5000", ALICE);
    tunnel.runUntil(() -> ConnectionTest.online(alice));
    return alice;
  }

  byte[] insidePacket(Tunnel.Peer peer, String text) {
    peer.sentDatagrams.clear();
    peer.connection.sendInside(
        ByteBuffer.wrap(Packets.udp("10.125.0.5", "8.8.8.8", text.getBytes())));
    return peer.sentDatagrams.getLast().clone();
  }

  static ByteBuffer datagram(String hex) {
    return ByteBuffer.wrap(HexFormat.of().parseHex(hex));
  }

  @Test
  void anEmptySessionFromAnUnknownAddressMakesANewConnection() {
    Tunnel.Peer alice = tunnel.client("198.51.100.1:5000", ALICE);
    tunnel.settle();

    assertThat(tunnel.outcomes).containsKey(UdpDemux.Outcome.CREATED);
    assertThat(tunnel.outcomes.get(UdpDemux.Outcome.CREATED)).isEqualTo(1);
    assertThat(tunnel.demux.size()).isEqualTo(1);
    assertThat(tunnel.demux.connectionAt(alice.address)).isNotNull();
  }

  @Test
  void garbageWithAnEmptySessionMakesNothing() {
    var outcome =
        tunnel.demux.receive("192.0.2.50:1", datagram("48650103000000000000000000000000" + "ffff"));

    assertThat(outcome).isEqualTo(UdpDemux.Outcome.GATED);
    assertThat(tunnel.demux.size()).isZero();
    assertThat(tunnel.front.stats().droppedMalformed()).isEqualTo(1);
  }

  @Test
  void aClientHelloWithoutCookieGetsAHelloRetryRequestAndNoConnection() {
    Tunnel.Peer alice = tunnel.client("198.51.100.1:5000", ALICE);
    while (!tunnel.workQueue.isEmpty()) {
      tunnel.workQueue.poll().run(); // the key share of the ClientHello
    }
    byte[] hello = alice.outbox.peek();

    var outcome = tunnel.demux.receive(alice.sendFrom, ByteBuffer.wrap(hello));

    assertThat(outcome).isEqualTo(UdpDemux.Outcome.GATED);
    assertThat(tunnel.demux.size()).isZero();
    assertThat(tunnel.front.stats().cookiesSent()).isEqualTo(1);
    assertThat(alice.inbox).hasSize(1);
    assertThat(alice.inbox.peek().length).isLessThanOrEqualTo(hello.length);
    // The same hello from many more sources still makes nothing.
    for (int port = 1; port <= 200; port++) {
      tunnel.demux.receive("203.0.113.9:" + port, ByteBuffer.wrap(hello));
    }
    assertThat(tunnel.demux.size()).isZero();
  }

  @Test
  void anUnknownNonEmptySessionIsAnsweredWithTheRejectNotice() {
    var outcome =
        tunnel.demux.receive("192.0.2.50:1", datagram("4865010300000000123456789abcdef0" + "16fe"));

    assertThat(outcome).isEqualTo(UdpDemux.Outcome.REJECT_SENT);
    assertThat(tunnel.rejectsSent).hasSize(1);
    assertThat(HexFormat.of().formatHex(tunnel.rejectsSent.getFirst())).isEqualTo(REJECT_NOTICE);
    assertThat(tunnel.demux.size()).isZero();
  }

  @Test
  void aClientCountsRejectNoticesAndOtherwiseIgnoresThem() {
    Tunnel.Peer alice = onlineAlice();

    alice.connection.receiveDatagram(datagram(REJECT_NOTICE));

    assertThat(alice.connection.rejectNoticesReceived()).isEqualTo(1);
    assertThat(alice.connection.state()).isEqualTo(ConnectionState.ONLINE);
  }

  @Test
  void aRejectedSessionIsDroppedWithoutAnswer() {
    var outcome = tunnel.demux.receive("192.0.2.50:1", datagram(REJECT_NOTICE));

    assertThat(outcome).isEqualTo(UdpDemux.Outcome.REJECTED_SESSION_DROPPED);
    assertThat(tunnel.rejectsSent).isEmpty();
  }

  @Test
  void badHeadersAndUnsupportedVersionsAreDropped() {
    assertThat(tunnel.demux.receive("a", datagram("485f010201000000123456789abcdef0")))
        .isEqualTo(UdpDemux.Outcome.BAD_HEADER);
    assertThat(tunnel.demux.receive("a", datagram("4865"))).isEqualTo(UdpDemux.Outcome.BAD_HEADER);
    assertThat(tunnel.demux.receive("a", datagram("48650104000000000000000000000000")))
        .isEqualTo(UdpDemux.Outcome.BAD_VERSION);
    assertThat(tunnel.demux.size()).isZero();
    assertThat(tunnel.rejectsSent).isEmpty();
  }

  @Test
  void aRoamingClientIsRecoveredBySessionIdAndARotationBegins() {
    Tunnel.Peer alice = onlineAlice();
    Connection server = alice.server();
    SessionId original = server.session();

    alice.sendFrom = "203.0.113.77:9999"; // the client's NAT mapping changed
    byte[] moved = insidePacket(alice, "after the move");
    var outcome = tunnel.demux.receive(alice.sendFrom, ByteBuffer.wrap(moved));
    alice.outbox.clear();

    assertThat(outcome).isEqualTo(UdpDemux.Outcome.RECOVERED_VIA_SESSION);
    assertThat(tunnel.demux.connectionAt("203.0.113.77:9999")).isSameAs(server);
    assertThat(tunnel.demux.connectionAt("198.51.100.1:5000")).isNull();
    assertThat(tunnel.demux.pendingRotations()).isEqualTo(1);
    SessionId next = server.pendingSession().orElseThrow();
    assertThat(next).isNotEqualTo(original);

    // The server's keepalive Ping carries the new id; the client adopts it and its Pong
    // brings it back, which finalises the rotation within one round trip.
    tunnel.settle();

    assertThat(alice.connection.session()).isEqualTo(next);
    assertThat(server.session()).isEqualTo(next);
    assertThat(server.pendingSession()).isEmpty();
    assertThat(tunnel.demux.pendingRotations()).isZero();
    assertThat(tunnel.serverHost.tun).isNotEmpty();
  }

  @Test
  void aReplayedDatagramFromANewAddressDoesNotMoveTheConnection() {
    Tunnel.Peer alice = onlineAlice();
    Connection server = alice.server();
    byte[] captured = insidePacket(alice, "genuine");
    tunnel.settle(); // delivered once from the real address

    var outcome = tunnel.demux.receive("192.0.2.66:6666", ByteBuffer.wrap(captured));

    assertThat(outcome).isEqualTo(UdpDemux.Outcome.ROTATION_ATTEMPTED_VIA_REPLAY);
    assertThat(tunnel.demux.connectionAt("198.51.100.1:5000")).isSameAs(server);
    assertThat(tunnel.demux.connectionAt("192.0.2.66:6666")).isNull();
    assertThat(tunnel.demux.pendingRotations()).isZero();
    assertThat(tunnel.serverHost.tun).hasSize(1);
  }

  @Test
  void aForgedSessionIdFromANewAddressDoesNotMoveTheConnection() {
    Tunnel.Peer alice = onlineAlice();
    Connection server = alice.server();
    String session = server.session().toString();

    var outcome =
        tunnel.demux.receive(
            "192.0.2.66:6666", datagram("48650103000000" + "00" + session + "17fefd0001"));

    assertThat(outcome).isEqualTo(UdpDemux.Outcome.ROTATION_ATTEMPTED_VIA_REPLAY);
    assertThat(tunnel.demux.connectionAt("198.51.100.1:5000")).isSameAs(server);
    assertThat(server.state()).isEqualTo(ConnectionState.ONLINE);
  }

  @Test
  void aDatagramCarryingThePendingSessionIsFoundThroughThePendingTable() {
    Tunnel.Peer alice = onlineAlice();
    Connection server = alice.server();
    alice.sendFrom = "203.0.113.77:9999";
    tunnel.demux.receive(alice.sendFrom, ByteBuffer.wrap(insidePacket(alice, "first move")));
    SessionId pending = server.pendingSession().orElseThrow();
    // The client receives the rotation Ping and adopts the pending id; its Pong is lost.
    for (byte[] fromServer : alice.inbox) {
      alice.connection.receiveDatagram(ByteBuffer.wrap(fromServer));
    }
    alice.inbox.clear();
    alice.outbox.clear();
    assertThat(alice.connection.session()).isEqualTo(pending);

    alice.sendFrom = "192.0.2.200:7777"; // and it moves again before the server saw the new id
    var outcome =
        tunnel.demux.receive(alice.sendFrom, ByteBuffer.wrap(insidePacket(alice, "second move")));

    assertThat(outcome).isEqualTo(UdpDemux.Outcome.RECOVERED_VIA_SESSION);
    assertThat(tunnel.demux.connectionAt("192.0.2.200:7777")).isSameAs(server);
    assertThat(server.session()).as("the pending id was confirmed").isEqualTo(pending);
    assertThat(server.pendingSession()).as("and the move starts the next rotation").isPresent();
    assertThat(tunnel.demux.pendingRotations()).isEqualTo(1);
  }

  @Test
  void aDatagramWithTheWrongVersionIsDroppedWithoutHarm() {
    Tunnel.Peer alice = onlineAlice();
    Connection server = alice.server();
    byte[] datagram = insidePacket(alice, "wrong version");
    datagram[3] = 2; // header says 1.2, the connection speaks 1.3
    long errorsBefore = server.nonFatalErrors();

    tunnel.demux.receive(alice.sendFrom, ByteBuffer.wrap(datagram));

    assertThat(server.nonFatalErrors()).isEqualTo(errorsBefore + 1);
    assertThat(server.state()).isEqualTo(ConnectionState.ONLINE);
    assertThat(tunnel.serverHost.tun).isEmpty();
  }

  @Test
  void aDisconnectedConnectionIsForgotten() {
    Tunnel.Peer alice = onlineAlice();

    alice.connection.disconnect(DisconnectReason.LOCAL);
    tunnel.settle();

    assertThat(tunnel.demux.size()).isZero();
    assertThat(tunnel.demux.connectionAt(alice.address)).isNull();
  }
}
