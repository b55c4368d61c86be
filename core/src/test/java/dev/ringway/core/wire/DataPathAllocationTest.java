package dev.ringway.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.core.ip.AddressTranslation;
import dev.ringway.core.ip.InsidePacket;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The per-packet path — outer header check, Data frame read, inside checks and address rewrite,
 * Data header write — allocates nothing. Measured with the JVM's per-thread allocation counter.
 */
class DataPathAllocationTest {
  private static final int ROUNDS = 100_000;
  private static final byte[] ICMP =
      HexFormat.of().parseHex("4500005400010000400146950a0417214a7dc871");

  @Test
  void receivingAndSendingDataAllocatesNothing() throws WireException {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    ByteBuffer datagram = ByteBuffer.allocateDirect(256);
    OuterHeader.encode(datagram, ProtocolVersion.V1_3, false, 0x1234L);
    FrameCodec.encodeDataHeader(datagram, ICMP.length);
    datagram.put(ICMP);
    datagram.flip();
    ByteBuffer out = ByteBuffer.allocateDirect(256);
    FrameCursor cursor = new FrameCursor();

    long checksum = runRounds(ROUNDS, datagram, out, cursor); // warm up
    long before = threads.getCurrentThreadAllocatedBytes();
    checksum += runRounds(ROUNDS, datagram, out, cursor);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(checksum).isNotZero();
    // One object per packet would be at least 16 bytes each; allow only a little measuring noise.
    assertThat(allocated).as("bytes allocated over %d packets", ROUNDS).isLessThan(ROUNDS / 10);
  }

  private static long runRounds(int rounds, ByteBuffer datagram, ByteBuffer out, FrameCursor cursor)
      throws WireException {
    long sum = 0;
    int base = ipv4("10.125.3.4");
    for (int i = 0; i < rounds; i++) {
      datagram.position(0);
      OuterHeader.check(datagram);
      sum += OuterHeader.sessionAt(datagram, 0);
      datagram.position(OuterHeader.SIZE);
      if (cursor.next(datagram) == FrameKind.DATA) {
        int at = cursor.payloadOffset();
        int length = cursor.payloadLength();
        if (InsidePacket.check(datagram, at, length) == InsidePacket.Verdict.VALID) {
          AddressTranslation.rewriteSource(datagram, at, length, base + (i & 0xff));
          sum += InsidePacket.source(datagram, at);
        }
        out.clear();
        OuterHeader.encode(out, ProtocolVersion.V1_3, false, 0x1234L);
        FrameCodec.encodeDataHeader(out, length);
        sum += out.position();
      }
    }
    return sum;
  }

  private static int ipv4(String text) {
    return dev.ringway.core.ip.Ipv4Address.parse(text).value();
  }
}
