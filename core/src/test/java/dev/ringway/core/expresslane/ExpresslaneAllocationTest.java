package dev.ringway.core.expresslane;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * What the steady-state data path allocates, measured with the JVM's per-thread allocation counter
 * over 100,000 packets after a warm-up. The session itself adds nothing; what remains is the JDK's
 * AES-GCM, which builds a new GCM engine on every {@code Cipher.init} (a new IV needs one), so the
 * test holds the session to the cost of bare {@code init + updateAAD + doFinal} calls.
 */
class ExpresslaneAllocationTest {
  private static final int PACKETS = 100_000;
  private static final int SIZE = 1350;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @Test
  void sealAndOpenAllocateNoMoreThanTheJdksGcmItself() throws Exception {
    SessionPair pair = new SessionPair().negotiated();
    ByteBuffer inside = ByteBuffer.allocateDirect(SIZE);
    ByteBuffer datagram = ByteBuffer.allocateDirect(SIZE + 100);
    ByteBuffer delivered = ByteBuffer.allocateDirect(SIZE + 100);

    long checksum = roundTrips(pair, inside, datagram, delivered, PACKETS); // warm-up
    long before = THREADS.getCurrentThreadAllocatedBytes();
    checksum += roundTrips(pair, inside, datagram, delivered, PACKETS);
    // Each round trip seals and opens one packet each way.
    double perPacket = (THREADS.getCurrentThreadAllocatedBytes() - before) / (2.0 * PACKETS);

    jdkGcm(PACKETS); // warm-up
    before = THREADS.getCurrentThreadAllocatedBytes();
    jdkGcm(PACKETS);
    double jdkPerPacket = (THREADS.getCurrentThreadAllocatedBytes() - before) / (double) PACKETS;

    System.out.printf(
        "Expresslane seal+open of a %d-byte packet: %.1f bytes;"
            + " bare JDK AES-GCM encrypt+decrypt: %.1f bytes%n",
        SIZE, perPacket, jdkPerPacket);
    assertThat(checksum).isEqualTo(4L * PACKETS * SIZE);
    assertThat(pair.server.session.counters().packetsReceived()).isEqualTo(2L * PACKETS);
    assertThat(perPacket)
        .as("bytes allocated per sealed and opened packet beyond the JDK's own GCM")
        .isLessThanOrEqualTo(jdkPerPacket + 16);
  }

  @Test
  void askingWhetherToSendAllocatesNothing() {
    SessionPair pair = new SessionPair().negotiated();
    long sum = 0;
    for (int i = 0; i < PACKETS; i++) {
      sum += pair.client.session.prepareSend(pair.now) ? 1 : 0;
    }
    long before = THREADS.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < PACKETS; i++) {
      sum += pair.client.session.prepareSend(pair.now + i) ? 1 : 0;
      sum += pair.client.session.nextDeadlineNanos() == Long.MAX_VALUE ? 1 : 0;
    }
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    assertThat(sum).isEqualTo(3L * PACKETS);
    assertThat(allocated).as("bytes over %d checks", PACKETS).isLessThan(PACKETS / 10);
  }

  @Test
  void droppingForgeriesAndReplaysAllocatesOnlyTheJdksGcm() {
    SessionPair pair = new SessionPair().negotiated();
    ByteBuffer datagram = pair.client.seal(new byte[SIZE]);
    ByteBuffer out = ByteBuffer.allocate(SIZE);
    assertThat(pair.server.session.open(SessionPair.SESSION, datagram.duplicate(), out).delivered())
        .isTrue();
    for (int i = 0; i < PACKETS; i++) {
      out.clear();
      pair.server.session.open(SessionPair.SESSION, datagram.duplicate(), out);
    }
    ByteBuffer view = datagram.duplicate();
    long before = THREADS.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < PACKETS; i++) {
      view.clear();
      out.clear();
      pair.server.session.open(SessionPair.SESSION, view, out);
    }
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    assertThat(pair.server.session.counters().replayed()).isEqualTo(2L * PACKETS);
    assertThat(allocated).as("replays are refused before any crypto").isLessThan(PACKETS / 10);
  }

  private static long roundTrips(
      SessionPair pair, ByteBuffer inside, ByteBuffer datagram, ByteBuffer delivered, int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      inside.clear();
      datagram.clear().position(16);
      if (!pair.client.session.prepareSend(pair.now)
          || !pair.client.session.seal(SessionPair.SESSION, inside, false, datagram)) {
        throw new AssertionError("not sealed");
      }
      datagram.flip().position(16);
      delivered.clear();
      if (!pair.server.session.open(SessionPair.SESSION, datagram, delivered).delivered()) {
        throw new AssertionError("not opened");
      }
      sum += delivered.position();
      // and the other direction
      inside.clear();
      datagram.clear();
      pair.server.session.seal(SessionPair.SESSION, inside, false, datagram);
      datagram.flip();
      delivered.clear();
      pair.client.session.open(SessionPair.SESSION, datagram, delivered);
      sum += delivered.position();
    }
    return sum;
  }

  /** The same work with the JDK's cipher alone: one init, AAD and doFinal per direction. */
  private static void jdkGcm(int n) throws Exception {
    byte[] keyBytes = new byte[32];
    new SecureRandom().nextBytes(keyBytes);
    SecretKeySpec key = new SecretKeySpec(keyBytes, "AES");
    Cipher seal = Cipher.getInstance("AES/GCM/NoPadding");
    Cipher open = Cipher.getInstance("AES/GCM/NoPadding");
    byte[] iv = new byte[12];
    byte[] aad = new byte[18];
    byte[] work = new byte[SIZE + 16];
    byte[] plain = new byte[SIZE];
    for (int i = 0; i < n; i++) {
      iv[0] = (byte) i;
      iv[1] = (byte) (i >>> 8);
      iv[2] = (byte) (i >>> 16);
      seal.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
      seal.updateAAD(aad, 0, aad.length);
      seal.doFinal(work, 0, SIZE, work, 0);
      open.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv));
      open.updateAAD(aad, 0, aad.length);
      open.doFinal(work, 0, SIZE + 16, plain, 0);
    }
  }
}
