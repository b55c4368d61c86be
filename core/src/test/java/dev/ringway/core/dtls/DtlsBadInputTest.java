package dev.ringway.core.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hostile and broken input: dropped, counted, no state kept, nothing allocated per datagram. */
class DtlsBadInputTest {
  static final TestPki PKI = new TestPki();
  static final TestPki.Identity EC = PKI.server("EC256", List.of("vpn.example"));
  static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();

  static DtlsServerConfig server() {
    return DtlsServerConfig.of(EC.chain(), EC.key(), SECRET);
  }

  static DtlsClientConfig client() {
    return DtlsClientConfig.of(PKI.anchors(), "vpn.example");
  }

  /** The datagrams our client sends first (its ClientHello, maybe fragmented). */
  static List<byte[]> firstFlight(DtlsClientConfig config) {
    Link link = new Link(server(), config);
    link.start();
    return new ArrayList<>(link.clientWire);
  }

  private static List<byte[]> garbage() {
    Random r = new Random(3);
    List<byte[]> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] b = new byte[1 + r.nextInt(1400)];
      r.nextBytes(b);
      all.add(b);
    }
    byte[] hello = firstFlight(client()).get(0);
    for (int cut : new int[] {1, 5, 13, 20, 25, 60, hello.length - 1}) {
      all.add(Arrays.copyOf(hello, cut));
    }
    byte[] otherEpoch = hello.clone();
    otherEpoch[4] = 1;
    all.add(otherEpoch);
    byte[] appData = hello.clone();
    appData[0] = 23;
    all.add(appData);
    byte[] lying = hello.clone();
    lying[11] = (byte) 0xff;
    all.add(lying);
    byte[] notHello = hello.clone();
    notHello[13] = 2;
    all.add(notHello);
    return all;
  }

  @Test
  void theGateDropsGarbageTruncationOtherEpochsAndLiesWithoutAllocating() {
    DtlsStats stats = new DtlsStats();
    DtlsCookieGate gate = new DtlsCookieGate(server(), stats);
    List<ByteBuffer> bad = garbage().stream().map(ByteBuffer::wrap).toList();
    byte[] address = {10, 1, 2, 3, 0, 1};
    ByteBuffer reply = ByteBuffer.allocate(2048);
    int[] i = new int[1];
    int[] notDropped = new int[1];
    double perDatagram =
        Allocation.perRun(
            20_000,
            () -> {
              ByteBuffer d = bad.get(i[0]++ % bad.size());
              reply.clear();
              if (gate.check(d, address, 1_000_000_000L, reply) != DtlsCookieGate.Verdict.DROP) {
                notDropped[0]++;
              }
            });
    assertEquals(0, notDropped[0], "every bad datagram dropped");
    assertEquals(40_000, stats.droppedMalformed(), "and counted");
    assertEquals(0, stats.cookiesSent());
    assertTrue(perDatagram < 1, "allocated " + perDatagram + " bytes per bad datagram");
  }

  @Test
  void cookielessHellosFromManySourcesKeepNoStateAndAllocateNothing() {
    DtlsStats stats = new DtlsStats();
    DtlsCookieGate gate = new DtlsCookieGate(server(), stats);
    ByteBuffer hello = ByteBuffer.wrap(firstFlight(client()).get(0));
    byte[] address = {10, 0, 0, 0, 0x30, 0x39};
    ByteBuffer reply = ByteBuffer.allocate(2048);
    int[] n = new int[1];
    int[] largest = new int[1];
    double perDatagram =
        Allocation.perRun(
            50_000,
            () -> {
              n[0]++;
              address[1] = (byte) (n[0] >>> 16);
              address[2] = (byte) (n[0] >>> 8);
              address[3] = (byte) n[0];
              reply.clear();
              if (gate.check(hello, address, 1_000_000_000L, reply)
                  != DtlsCookieGate.Verdict.REPLY) {
                throw new AssertionError("no HelloRetryRequest");
              }
              largest[0] = Math.max(largest[0], reply.position());
            });
    assertEquals(100_000, stats.cookiesSent());
    assertEquals(0, stats.partialHellos(), "nothing kept for whole hellos");
    assertTrue(
        largest[0] <= hello.remaining(),
        "HelloRetryRequest of " + largest[0] + " bytes for a " + hello.remaining() + " byte hello");
    assertTrue(perDatagram < 1, "allocated " + perDatagram + " bytes per hello");
  }

  /** Runs our client through the gate's HelloRetryRequest and returns its second ClientHello. */
  private static byte[] secondHello(DtlsCookieGate gate, byte[] address, long now)
      throws DtlsException {
    DtlsSession c = DtlsSession.client(client().withInlineTasks(true), new DtlsStats());
    List<byte[]> wire = new ArrayList<>();
    DtlsSession.Output out =
        new DtlsSession.Output() {
          @Override
          public void transmit(ByteBuffer d) {
            wire.add(Link.bytes(d));
          }

          @Override
          public void deliver(ByteBuffer a) {}
        };
    c.start(now, out);
    ByteBuffer reply = ByteBuffer.allocate(2048);
    assertEquals(
        DtlsCookieGate.Verdict.REPLY,
        gate.check(ByteBuffer.wrap(wire.get(0)), address, now, reply));
    reply.flip();
    c.receive(reply, now, out);
    return wire.get(1);
  }

  @Test
  void aCookieIsBoundToTheAddressTheHelloAndTheTime() throws DtlsException {
    DtlsStats stats = new DtlsStats();
    DtlsCookieGate gate = new DtlsCookieGate(server(), stats);
    byte[] address = {127, 0, 0, 1, 0x30, 0x39};
    long now = 100_000_000_000L;
    byte[] second = secondHello(gate, address, now);
    ByteBuffer reply = ByteBuffer.allocate(2048);
    byte[] elsewhere = {127, 0, 0, 2, 0x30, 0x39};
    assertEquals(
        DtlsCookieGate.Verdict.DROP, gate.check(ByteBuffer.wrap(second), elsewhere, now, reply));
    byte[] tampered = second.clone();
    tampered[tampered.length - 1] ^= 1;
    assertEquals(
        DtlsCookieGate.Verdict.DROP, gate.check(ByteBuffer.wrap(tampered), address, now, reply));
    assertEquals(
        DtlsCookieGate.Verdict.DROP,
        gate.check(ByteBuffer.wrap(second), address, now + 120_000_000_000L, reply),
        "a cookie from two minutes ago");
    assertEquals(3, stats.badCookies());
    assertEquals(
        DtlsCookieGate.Verdict.ACCEPT, gate.check(ByteBuffer.wrap(second), address, now, reply));
    assertEquals(1, stats.cookiesAccepted());
  }

  @Test
  void aCookieFromAnotherSecretIsRefused() throws DtlsException {
    DtlsCookieGate other =
        new DtlsCookieGate(
            DtlsServerConfig.of(EC.chain(), EC.key(), "another secret, 32 bytes long!!".getBytes()),
            new DtlsStats());
    byte[] address = {127, 0, 0, 1, 0x30, 0x39};
    byte[] second = secondHello(other, address, 0);
    DtlsStats stats = new DtlsStats();
    DtlsCookieGate gate = new DtlsCookieGate(server(), stats);
    assertEquals(
        DtlsCookieGate.Verdict.DROP,
        gate.check(ByteBuffer.wrap(second), address, 0, ByteBuffer.allocate(2048)));
    assertEquals(1, stats.badCookies());
  }

  @Test
  void partialHellosFromManySourcesStayInTheFixedTableAndALegitimateOneStillCompletes() {
    DtlsStats stats = new DtlsStats();
    DtlsCookieGate gate = new DtlsCookieGate(server(), stats);
    List<byte[]> fragments =
        firstFlight(
            client()
                .withGroups(
                    List.of(NamedGroup.P521_MLKEM1024, NamedGroup.X25519),
                    NamedGroup.P521_MLKEM1024));
    assertTrue(fragments.size() >= 2);
    ByteBuffer first = ByteBuffer.wrap(fragments.get(0));
    ByteBuffer reply = ByteBuffer.allocate(2048);
    byte[] address = {10, 0, 0, 0, 0, 1};
    long heapBefore = Allocation.now();
    for (int i = 0; i < 10_000; i++) {
      address[2] = (byte) (i >>> 8);
      address[3] = (byte) i;
      assertEquals(
          DtlsCookieGate.Verdict.PENDING, gate.check(first, address, 1_000_000_000L, reply));
    }
    assertTrue(
        Allocation.now() - heapBefore < 10_000,
        "partial hellos are kept in the preallocated table");
    byte[] legit = {127, 0, 0, 1, 0x30, 0x39};
    DtlsCookieGate.Verdict v = null;
    for (byte[] f : fragments) {
      v = gate.check(ByteBuffer.wrap(f), legit, 1_000_000_000L, reply);
    }
    assertEquals(DtlsCookieGate.Verdict.REPLY, v);
    assertEquals(10_001, stats.partialHellos());
  }

  @Test
  void anEstablishedSessionDropsAndCountsGarbageUnknownEpochsBadMacsAndReplays()
      throws DtlsException {
    Link link = new Link(server(), client());
    assertTrue(link.handshake());
    link.runUntil(() -> link.client.nextTimerNanos() == Long.MAX_VALUE, 1_000_000_000L);
    List<byte[]> records = new ArrayList<>();
    DtlsSession.Output capture =
        new DtlsSession.Output() {
          @Override
          public void transmit(ByteBuffer d) {
            records.add(Link.bytes(d));
          }

          @Override
          public void deliver(ByteBuffer a) {}
        };
    link.client.send(ByteBuffer.wrap("hello".getBytes()), link.now, capture);
    link.client.send(ByteBuffer.wrap("forged".getBytes()), link.now, capture);
    byte[] record = records.get(0);
    DtlsSession server = link.server;
    DtlsStats stats = link.serverStats;
    List<String> delivered = new ArrayList<>();
    DtlsSession.Output out =
        new DtlsSession.Output() {
          @Override
          public void transmit(ByteBuffer d) {}

          @Override
          public void deliver(ByteBuffer a) {
            delivered.add(new String(Link.bytes(a)));
          }
        };
    server.receive(ByteBuffer.wrap(record), link.now, out);
    assertEquals(List.of("hello"), delivered);
    server.receive(ByteBuffer.wrap(record), link.now, out);
    assertEquals(1, stats.droppedReplay());
    byte[] flipped = records.get(1).clone();
    flipped[flipped.length - 1] ^= 1;
    server.receive(ByteBuffer.wrap(flipped), link.now, out);
    assertEquals(1, stats.droppedBadMac());
    byte[] unknownEpoch = record.clone();
    unknownEpoch[0] = (byte) ((unknownEpoch[0] & ~3) | 1);
    server.receive(ByteBuffer.wrap(unknownEpoch), link.now, out);
    assertEquals(1, stats.droppedUnknownEpoch());
    server.receive(ByteBuffer.wrap(Arrays.copyOf(record, 4)), link.now, out);
    server.receive(ByteBuffer.wrap(Arrays.copyOf(record, record.length - 3)), link.now, out);
    long malformed = stats.droppedMalformed();
    assertTrue(malformed >= 2);
    assertEquals(List.of("hello"), delivered, "nothing bad was delivered");
    assertTrue(server.isHandshakeComplete(), "and the session lives on");

    List<ByteBuffer> bad = new ArrayList<>();
    for (byte[] g : garbage()) {
      boolean reachesAead = (g[0] & 0xe0) == 0x20 && (g[0] & 2) != 0;
      if (!reachesAead) {
        bad.add(ByteBuffer.wrap(g));
      }
    }
    bad.add(ByteBuffer.wrap(record));
    bad.add(ByteBuffer.wrap(unknownEpoch));
    int[] i = new int[1];
    double perDatagram =
        Allocation.perRun(
            20_000,
            () -> {
              try {
                server.receive(bad.get(i[0]++ % bad.size()), link.now, out);
              } catch (DtlsException e) {
                throw new AssertionError(e);
              }
            });
    assertTrue(perDatagram < 1, "allocated " + perDatagram + " bytes per bad datagram");
    ByteBuffer forged = ByteBuffer.wrap(flipped);
    double perForgery =
        Allocation.perRun(
            2_000,
            () -> {
              try {
                server.receive(forged, link.now, out);
              } catch (DtlsException e) {
                throw new AssertionError(e);
              }
            });
    System.out.printf(
        "a record failing authentication costs %.0f bytes in the JDK cipher%n", perForgery);
    assertEquals(4_001, stats.droppedBadMac());
    assertNull(link.serverError);
    assertEquals(List.of("hello"), delivered);
    link.clientSends("still fine");
    link.runUntil(() -> link.toServerData.size() > 0, 1_000_000_000L);
  }

  @Test
  void aSpoofedPlaintextHandshakeMessageCannotDisturbAnEstablishedSession() throws DtlsException {
    Link link = new Link(server(), client());
    assertTrue(link.handshake());
    byte[] hello = firstFlight(client()).get(0).clone();
    for (int seq = 0; seq < 8; seq++) {
      hello[13 + 4] = 0;
      hello[13 + 5] = (byte) seq;
      link.server.receive(ByteBuffer.wrap(hello), link.now, link.serverOut);
    }
    assertTrue(link.server.isHandshakeComplete(), "the session is not torn down");
    assertEquals(5, link.serverStats.droppedUnexpected(), "seq 3..7 are new, 0..2 old");
    link.clientSends("after the spoof");
    link.runUntil(() -> !link.toServerData.isEmpty(), 1_000_000_000L);
    assertEquals("after the spoof", new String(link.toServerData.get(0)));
  }
}
