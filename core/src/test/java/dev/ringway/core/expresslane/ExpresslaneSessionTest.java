package dev.ringway.core.expresslane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.core.wire.ExpresslaneConfig;
import dev.ringway.core.wire.ExpresslaneVersion;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Negotiation, key lifecycle and data of two sessions talking in memory (digest §2.14, §3.11). */
class ExpresslaneSessionTest {
  private static final byte[] PACKET = "an inside packet, more or less".getBytes();

  private static byte[] opened(SessionPair.Side side, ByteBuffer datagram) {
    ByteBuffer out = ByteBuffer.allocate(2048);
    OpenResult result = side.open(datagram, out);
    assertThat(result).isEqualTo(OpenResult.INSIDE);
    byte[] inside = new byte[out.flip().remaining()];
    out.get(inside);
    return inside;
  }

  @Test
  void theClientAnnouncesFirstAndBothEndActiveOnVersion2() {
    SessionPair pair = new SessionPair();
    pair.server.session.online(pair.now, true);
    assertThat(pair.server.sent).as("a server never announces first").isEmpty();
    assertThat(pair.server.session.state()).isEqualTo(ExpresslaneState.WAITING_FOR_CLIENT);

    pair.client.session.online(pair.now, true);
    assertThat(pair.client.log)
        .singleElement()
        .satisfies(c -> {
          assertThat(c.version()).isEqualTo(ExpresslaneVersion.V2);
          assertThat(c.enabled()).isTrue();
          assertThat(c.ack()).isFalse();
          assertThat(c.counter()).isEqualTo(1);
          assertThat(PacketKey.isNoKey(c.key())).isFalse();
        });
    assertThat(pair.client.session.ready()).as("not before the ack").isFalse();

    pair.exchange();

    ExpresslaneConfig announcement = pair.client.log.getFirst();
    assertThat(pair.server.log.getFirst())
        .as("the server acknowledges with the same config and A=1")
        .isEqualTo(new ExpresslaneConfig(ExpresslaneVersion.V2, true, true, 1, announcement.key()));
    assertThat(pair.server.log).hasSize(2);
    assertThat(pair.server.log.get(1).ack()).isFalse();
    assertThat(pair.client.session.state()).isEqualTo(ExpresslaneState.ACTIVE);
    assertThat(pair.server.session.state()).isEqualTo(ExpresslaneState.ACTIVE);
    assertThat(pair.client.session.version()).isEqualTo(ExpresslaneVersion.V2);
    assertThat(pair.server.session.version()).isEqualTo(ExpresslaneVersion.V2);
    assertThat(pair.client.session.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(pair.server.session.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);

    assertThat(opened(pair.server, pair.client.seal(PACKET))).isEqualTo(PACKET);
    assertThat(opened(pair.client, pair.server.seal(PACKET))).isEqualTo(PACKET);
  }

  @ParameterizedTest
  @CsvSource({"V1, V2", "V2, V1", "V1, V1"})
  void aVersion1PeerBringsBothSidesToVersion1(
      ExpresslaneVersion clientMax, ExpresslaneVersion serverMax) {
    SessionPair pair = new SessionPair(clientMax, serverMax).negotiated();

    assertThat(pair.client.session.version()).isEqualTo(ExpresslaneVersion.V1);
    assertThat(pair.server.session.version()).isEqualTo(ExpresslaneVersion.V1);
    assertThat(pair.client.session.ready()).isTrue();
    assertThat(opened(pair.server, pair.client.seal(PACKET))).isEqualTo(PACKET);
    assertThat(opened(pair.client, pair.server.seal(PACKET))).isEqualTo(PACKET);
  }

  @Test
  void anUnknownVersionByteNegotiatesOurHighest() {
    SessionPair pair = new SessionPair();
    pair.server.session.online(pair.now, true);
    pair.server.session.onConfig(
        new ExpresslaneConfig(ExpresslaneVersion.UNKNOWN, true, false, 7, key(0x42)), pair.now);
    assertThat(pair.server.log.getFirst().version()).isEqualTo(ExpresslaneVersion.V2);
    assertThat(pair.server.session.version()).isEqualTo(ExpresslaneVersion.V2);
  }

  @Test
  void theVersionIsFixedOnceDataWasSent() {
    SessionPair pair = new SessionPair().negotiated();
    pair.client.seal(PACKET);
    pair.client.session.onConfig(
        new ExpresslaneConfig(ExpresslaneVersion.V1, true, false, 9, key(0x42)), pair.now);
    assertThat(pair.client.session.version()).isEqualTo(ExpresslaneVersion.V2);
  }

  @Test
  void countersStartAtOneAndRiseByOne() {
    SessionPair pair = new SessionPair().negotiated();
    for (long expected = 1; expected <= 3; expected++) {
      assertThat(pair.client.seal(PACKET).getLong(0)).isEqualTo(expected);
    }
    assertThat(pair.client.session.counters().packetsSent()).isEqualTo(3);
  }

  @Test
  void directAndHeapBuffersCarryTheSamePackets() {
    SessionPair pair = new SessionPair().negotiated();
    ByteBuffer inside = ByteBuffer.allocateDirect(PACKET.length).put(PACKET).flip();
    ByteBuffer datagram = ByteBuffer.allocateDirect(100 + PACKET.length);
    datagram.position(16); // after the outer header, as the connection will write it
    assertThat(pair.client.session.seal(SessionPair.SESSION, inside, true, datagram)).isTrue();
    assertThat(inside.hasRemaining()).isFalse();
    assertThat(datagram.position()).isEqualTo(16 + ExpresslaneSession.HEADER_SIZE + PACKET.length);
    datagram.flip().position(16);

    ByteBuffer out = ByteBuffer.allocateDirect(64);
    assertThat(pair.server.session.open(SessionPair.SESSION, datagram, out))
        .isEqualTo(OpenResult.INSIDE_ENCODED);
    assertThat(datagram.hasRemaining()).isFalse();
    byte[] got = new byte[out.flip().remaining()];
    out.get(got);
    assertThat(got).isEqualTo(PACKET);
  }

  @Test
  void rotationMidStreamLosesNothing() {
    SessionPair pair = new SessionPair().negotiated();
    byte[] firstClientKey = pair.client.log.getFirst().key();
    List<ByteBuffer> inFlight = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      inFlight.add(pair.client.seal(PACKET));
    }

    pair.advance(SessionPair.ROTATION.plusSeconds(1));
    assertThat(pair.client.session.prepareSend(pair.now))
        .as("rotation announces; the old key stays in use until the ack")
        .isTrue();
    ExpresslaneConfig rotation = pair.client.log.getLast();
    assertThat(rotation.counter()).isEqualTo(2);
    assertThat(rotation.key()).isNotEqualTo(firstClientKey);
    inFlight.add(pair.client.seal(PACKET)); // still under the first key, announcement in flight
    pair.exchange();
    List<ByteBuffer> afterRotation = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      afterRotation.add(pair.client.seal(PACKET));
    }

    // Reordered: packets under the new key arrive first, the old ones after the switch.
    for (ByteBuffer datagram : afterRotation) {
      assertThat(opened(pair.server, datagram)).isEqualTo(PACKET);
    }
    for (ByteBuffer datagram : inFlight) {
      assertThat(opened(pair.server, datagram)).isEqualTo(PACKET);
    }
    assertThat(pair.server.session.counters().packetsReceived()).isEqualTo(11);
    assertThat(pair.server.session.counters().decryptFailed()).isZero();
  }

  @Test
  void aKeyTwoRotationsOldNoLongerOpens() {
    SessionPair pair = new SessionPair().negotiated();
    ByteBuffer stale = pair.client.seal(PACKET);
    for (int i = 0; i < 2; i++) {
      pair.advance(SessionPair.ROTATION.plusSeconds(1));
      pair.client.session.prepareSend(pair.now);
      pair.exchange();
    }
    assertThat(pair.server.open(stale, ByteBuffer.allocate(2048)))
        .isEqualTo(OpenResult.DECRYPT_FAILED);
  }

  @Test
  void anIdleSideDoesNotRotate() {
    SessionPair pair = new SessionPair().negotiated();
    int announced = pair.client.log.size();
    pair.advance(SessionPair.ROTATION.plusSeconds(1));
    pair.client.session.onTimer(pair.now);
    assertThat(pair.client.log).hasSize(announced);
    pair.client.session.prepareSend(pair.now);
    assertThat(pair.client.log).hasSize(announced + 1);
  }

  @Test
  void aRetransmittedAnnouncementKeepsTheGraceKey() {
    SessionPair pair = new SessionPair().negotiated();
    ByteBuffer beforeRotation = pair.client.seal(PACKET);
    pair.advance(SessionPair.ROTATION.plusSeconds(1));
    pair.client.session.prepareSend(pair.now);
    ExpresslaneConfig rotation = pair.client.sent.peekFirst();
    pair.exchange();
    // The ack was lost as far as the client knows: the same announcement arrives again.
    pair.server.session.onConfig(rotation, pair.now);
    assertThat(opened(pair.server, beforeRotation)).isEqualTo(PACKET);
  }

  @Test
  void replaysAreDroppedAndCounted() {
    SessionPair pair = new SessionPair().negotiated();
    ByteBuffer datagram = pair.client.seal(PACKET);
    opened(pair.server, datagram);
    ByteBuffer out = ByteBuffer.allocate(2048);
    assertThat(pair.server.open(datagram, out)).isEqualTo(OpenResult.REPLAYED);
    assertThat(out.position()).isZero();
    assertThat(pair.server.session.counters().replayed()).isEqualTo(1);
  }

  @Test
  void countersFarBehindTheWindowAreReplays() {
    SessionPair pair = new SessionPair().negotiated();
    ByteBuffer first = pair.client.seal(PACKET);
    ByteBuffer last = null;
    for (int i = 0; i < 8192; i++) {
      last = pair.client.seal(PACKET);
    }
    opened(pair.server, last); // counter 8193: counter 1 is now 8192 behind
    assertThat(pair.server.open(first, ByteBuffer.allocate(2048))).isEqualTo(OpenResult.REPLAYED);
  }

  @Test
  void forgedPacketsAreDroppedCountedAndDoNotMoveTheWindow() {
    SessionPair pair = new SessionPair().negotiated();
    ByteBuffer genuine = pair.client.seal(PACKET);

    ByteBuffer flipped = copy(genuine);
    flipped.put(ExpresslaneSession.HEADER_SIZE, (byte) (flipped.get(40) ^ 1));
    ByteBuffer encodedFlag = copy(genuine);
    encodedFlag.put(38, (byte) 0x80); // V2 binds the flags into the AAD
    ByteBuffer farAhead = copy(genuine);
    farAhead.putLong(0, 1_000_000L);
    ByteBuffer out = ByteBuffer.allocate(2048);

    assertThat(pair.server.open(flipped, out)).isEqualTo(OpenResult.DECRYPT_FAILED);
    assertThat(pair.server.open(encodedFlag, out)).isEqualTo(OpenResult.DECRYPT_FAILED);
    assertThat(pair.server.open(farAhead, out)).isEqualTo(OpenResult.DECRYPT_FAILED);
    assertThat(pair.server.session.open(SessionPair.SESSION + 1, genuine.duplicate(), out))
        .as("another session's id")
        .isEqualTo(OpenResult.DECRYPT_FAILED);
    assertThat(out.position()).isZero();
    assertThat(pair.server.session.counters().decryptFailed()).isEqualTo(4);

    assertThat(opened(pair.server, genuine))
        .as("the forgeries neither consumed counter 1 nor pushed the window past it")
        .isEqualTo(PACKET);
  }

  @Test
  void aPacketUnderAnotherKeyIsDroppedAndCounted() {
    SessionPair one = new SessionPair().negotiated();
    SessionPair other = new SessionPair().negotiated();
    assertThat(other.server.open(one.client.seal(PACKET), ByteBuffer.allocate(2048)))
        .isEqualTo(OpenResult.DECRYPT_FAILED);
    assertThat(other.server.session.counters().decryptFailed()).isEqualTo(1);
  }

  @Test
  void shortPacketsAreDroppedAndCounted() {
    SessionPair pair = new SessionPair().negotiated();
    ByteBuffer genuine = pair.client.seal(PACKET);
    ByteBuffer out = ByteBuffer.allocate(2048);
    assertThat(pair.server.open(genuine.duplicate().limit(39), out))
        .isEqualTo(OpenResult.INSUFFICIENT_DATA);
    assertThat(pair.server.open(genuine.duplicate().limit(genuine.limit() - 1), out))
        .isEqualTo(OpenResult.INSUFFICIENT_DATA);
    assertThat(pair.server.session.counters().insufficientData()).isEqualTo(2);
    assertThat(opened(pair.server, genuine)).isEqualTo(PACKET);
  }

  @Test
  void aPacketLargerThanTheOutputIsDroppedNotThrown() {
    SessionPair pair = new SessionPair().negotiated();
    ByteBuffer datagram = pair.client.seal(new byte[1400]);
    assertThat(pair.server.open(datagram, ByteBuffer.allocate(1000)))
        .isEqualTo(OpenResult.OVERSIZED);
    assertThat(pair.server.session.counters().oversized()).isEqualTo(1);
  }

  @Test
  void counterZeroIsNeverAccepted() {
    SessionPair pair = new SessionPair().negotiated();
    ByteBuffer zero = copy(pair.client.seal(PACKET));
    zero.putLong(0, 0);
    assertThat(pair.server.open(zero, ByteBuffer.allocate(2048))).isEqualTo(OpenResult.REPLAYED);
  }

  @Test
  void aPeerThatNeverOffersLeavesTheSessionOnDtls() {
    SessionPair pair = new SessionPair();
    pair.server.session.online(pair.now, true);
    for (int i = 0; i < 3; i++) {
      pair.advance(SessionPair.ROTATION.plusSeconds(1));
      assertThat(pair.server.session.prepareSend(pair.now)).isFalse();
      pair.server.session.onTimer(pair.now);
    }
    assertThat(pair.server.log).isEmpty();
    assertThat(pair.server.session.state()).isEqualTo(ExpresslaneState.WAITING_FOR_CLIENT);
    assertThat(pair.server.session.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(
            pair.server.session.seal(
                SessionPair.SESSION, ByteBuffer.wrap(PACKET), false, ByteBuffer.allocate(256)))
        .isFalse();
    assertThat(pair.server.session.counters().encryptNoKey()).isEqualTo(1);
    ByteBuffer stray = ByteBuffer.allocate(80);
    stray.putLong(0, 1).limit(80);
    stray.putShort(36, (short) 40);
    assertThat(pair.server.session.open(SessionPair.SESSION, stray, ByteBuffer.allocate(64)))
        .isEqualTo(OpenResult.NO_KEY);
    assertThat(pair.server.session.counters().decryptNoKey()).isEqualTo(1);
  }

  @Test
  void aClientWithoutExpresslaneNeverOffers() {
    SessionPair pair =
        new SessionPair(ExpresslaneSettings.of(false), ExpresslaneSettings.of(true)).negotiated();
    assertThat(pair.client.log).isEmpty();
    assertThat(pair.server.log).isEmpty();
    assertThat(pair.client.session.state()).isEqualTo(ExpresslaneState.DISABLED);
    assertThat(pair.server.session.ready()).isFalse();
  }

  @Test
  void anIneligibleConnectionStaysDisabled() {
    SessionPair pair = new SessionPair();
    pair.client.session.online(pair.now, false); // TCP, or protocol 1.1/1.2
    assertThat(pair.client.session.state()).isEqualTo(ExpresslaneState.DISABLED);
    assertThat(pair.client.log).isEmpty();
  }

  @Test
  void aServerWithoutExpresslaneAcknowledgesButNeverAnnounces() {
    SessionPair pair =
        new SessionPair(ExpresslaneSettings.of(true), ExpresslaneSettings.of(false)).negotiated();
    ExpresslaneConfig announcement = pair.client.log.getFirst();
    assertThat(pair.server.log)
        .containsExactly(
            new ExpresslaneConfig(ExpresslaneVersion.V2, true, true, 1, announcement.key()));
    assertThat(pair.server.session.state()).isEqualTo(ExpresslaneState.DISABLED);
    assertThat(pair.client.session.state()).isEqualTo(ExpresslaneState.INACTIVE);
    assertThat(pair.client.session.ready()).isFalse();
    assertThat(pair.client.session.nextDeadlineNanos())
        .as("the ack stops the client's retransmissions")
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void anUnacknowledgedAnnouncementIsResentFiveTimesThenGivenUp() {
    SessionPair pair = new SessionPair();
    pair.client.session.online(pair.now, true);
    ExpresslaneConfig announcement = pair.client.sent.removeFirst();
    long[] waits = {500, 1000, 1500, 2000, 2500, 3000};
    for (int retry = 1; retry <= 5; retry++) {
      long deadline = pair.client.session.nextDeadlineNanos();
      assertThat(deadline - pair.now).isEqualTo(Duration.ofMillis(waits[retry - 1]).toNanos());
      pair.client.session.onTimer(deadline - 1);
      assertThat(pair.client.sent).as("not before the deadline").isEmpty();
      pair.now = deadline;
      pair.client.session.onTimer(pair.now);
      assertThat(pair.client.sent.removeFirst()).isEqualTo(announcement);
    }
    pair.now = pair.client.session.nextDeadlineNanos();
    pair.client.session.onTimer(pair.now);
    assertThat(pair.client.sent).isEmpty();
    assertThat(pair.client.session.state()).isEqualTo(ExpresslaneState.INACTIVE);
    assertThat(pair.client.session.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);

    assertThat(pair.client.session.prepareSend(pair.now)).isFalse();
    assertThat(pair.client.sent.removeFirst().counter())
        .as("the next outgoing packet announces afresh")
        .isEqualTo(2);
  }

  @Test
  void aLostAcknowledgementIsRecoveredByTheRetransmission() {
    SessionPair pair = new SessionPair();
    pair.server.session.online(pair.now, true);
    pair.client.session.online(pair.now, true);
    pair.server.session.onConfig(pair.client.sent.removeFirst(), pair.now);
    pair.server.sent.clear(); // the ack and the server's announcement are lost
    pair.now = pair.client.session.nextDeadlineNanos();
    pair.client.session.onTimer(pair.now);
    pair.now = pair.server.session.nextDeadlineNanos();
    pair.server.session.onTimer(pair.now);
    pair.exchange();
    assertThat(pair.client.session.ready()).isTrue();
    assertThat(pair.server.session.ready()).isTrue();
  }

  @Test
  void degradingTellsThePeerWithTheAllZeroKeyAndBothStayOnDtls() {
    SessionPair pair = new SessionPair().negotiated();
    ByteBuffer inFlight = pair.client.seal(PACKET);
    pair.server.session.degrade(pair.now);
    ExpresslaneConfig notice = pair.server.sent.peekFirst();
    assertThat(notice.enabled()).isFalse();
    assertThat(PacketKey.isNoKey(notice.key())).isTrue();
    assertThat(pair.server.session.ready()).isFalse();

    pair.exchange();
    assertThat(pair.client.session.state()).isEqualTo(ExpresslaneState.INACTIVE);
    assertThat(pair.client.session.ready()).isFalse();
    assertThat(pair.server.session.state()).isEqualTo(ExpresslaneState.DEGRADED);
    assertThat(pair.server.session.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(
            pair.server.session.seal(
                SessionPair.SESSION, ByteBuffer.wrap(PACKET), false, ByteBuffer.allocate(256)))
        .as("the degrade ack retired the server's send key")
        .isFalse();
    assertThat(opened(pair.server, inFlight)).isEqualTo(PACKET);

    int said = pair.client.log.size();
    pair.advance(SessionPair.ROTATION.multipliedBy(2));
    assertThat(pair.client.session.prepareSend(pair.now)).isFalse();
    assertThat(pair.client.log).as("no announcements after the peer said stop").hasSize(said);
  }

  @Test
  void anAllZeroKeyWithTheEnabledFlagStillMeansStop() {
    SessionPair pair = new SessionPair().negotiated();
    pair.client.session.onConfig(
        new ExpresslaneConfig(ExpresslaneVersion.V2, true, false, 99, new byte[32]), pair.now);
    assertThat(pair.client.session.ready()).isFalse();
    assertThat(pair.client.log.getLast())
        .isEqualTo(new ExpresslaneConfig(ExpresslaneVersion.V2, true, true, 99, new byte[32]));
  }

  @Test
  void aDegradedSideIgnoresNewAnnouncements() {
    SessionPair pair = new SessionPair().negotiated();
    pair.server.session.degrade(pair.now);
    pair.exchange();
    int said = pair.server.log.size();
    pair.server.session.onConfig(
        new ExpresslaneConfig(ExpresslaneVersion.V2, true, false, 50, key(7)), pair.now);
    assertThat(pair.server.log).hasSize(said);
    assertThat(pair.server.session.state()).isEqualTo(ExpresslaneState.DEGRADED);
  }

  @Test
  void keepalivePayloadCarriesCumulativeCountersOnlyWhileActive() {
    SessionPair pair = new SessionPair();
    assertThat(pair.client.session.keepalivePayload()).isEmpty();
    pair.negotiated();
    for (int i = 0; i < 3; i++) {
      opened(pair.server, pair.client.seal(PACKET));
    }
    pair.server.seal(PACKET);
    byte[] payload = pair.client.session.keepalivePayload();
    assertThat(payload).hasSize(16);
    assertThat(ExpresslaneStats.fromPayload(payload)).contains(new ExpresslaneStats(3, 0));
    assertThat(ExpresslaneStats.fromPayload(pair.server.session.keepalivePayload()))
        .contains(new ExpresslaneStats(1, 3));
    assertThat(new ExpresslaneStats(0x0102030405060708L, 9).toPayload())
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 9);
    assertThat(ExpresslaneStats.fromPayload(new byte[15])).isEmpty();
  }

  @Test
  void threeLossyWindowsDegrade() {
    SessionPair pair = new SessionPair().negotiated();
    long peerReceived = 0;
    for (int window = 1; window <= 3; window++) {
      for (int i = 0; i < 20; i++) {
        pair.client.seal(PACKET); // sent, and the peer will say it saw only 2 of each 20
      }
      peerReceived += 2;
      assertThat(pair.client.session.state()).isEqualTo(ExpresslaneState.ACTIVE);
      pair.client.session.onKeepaliveStats(
          new ExpresslaneStats(0, peerReceived).toPayload(), pair.now);
    }
    assertThat(pair.client.session.state()).isEqualTo(ExpresslaneState.DEGRADED);
    assertThat(pair.client.sent.peekLast().enabled()).isFalse();
  }

  @Test
  void aGoodWindowTakesAStrikeAway() {
    SessionPair pair = new SessionPair().negotiated();
    long peerReceived = 0;
    boolean[] lossy = {true, true, false, true};
    for (boolean loss : lossy) {
      for (int i = 0; i < 20; i++) {
        pair.client.seal(PACKET);
      }
      peerReceived += loss ? 2 : 20;
      pair.client.session.onKeepaliveStats(
          new ExpresslaneStats(0, peerReceived).toPayload(), pair.now);
    }
    assertThat(pair.client.session.state()).isEqualTo(ExpresslaneState.ACTIVE);
  }

  @Test
  void threeWindowsWithoutStatisticsDegrade() {
    SessionPair pair = new SessionPair().negotiated();
    for (int i = 0; i < 2; i++) {
      pair.client.session.onKeepaliveStats(new byte[0], pair.now);
    }
    assertThat(pair.client.session.state()).isEqualTo(ExpresslaneState.ACTIVE);
    pair.client.session.onKeepaliveStats(new byte[0], pair.now);
    assertThat(pair.client.session.state()).isEqualTo(ExpresslaneState.DEGRADED);
  }

  private static ByteBuffer copy(ByteBuffer datagram) {
    ByteBuffer c = ByteBuffer.allocate(datagram.remaining());
    c.put(datagram.duplicate()).flip();
    return c;
  }

  private static byte[] key(int fill) {
    byte[] k = new byte[32];
    java.util.Arrays.fill(k, (byte) fill);
    return k;
  }
}
