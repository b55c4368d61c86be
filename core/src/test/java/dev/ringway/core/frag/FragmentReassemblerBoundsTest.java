package dev.ringway.core.frag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.core.frag.FragmentReassembler.Limits;
import dev.ringway.core.frag.FragmentReassembler.Outcome;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What a peer can make the reassembler hold: floods of fragments stay within the connection's
 * limits, measured by the reassembler's own figures, while real packets still reassemble; partial
 * packets expire; steady reassembly allocates nothing.
 */
class FragmentReassemblerBoundsTest {
  private static final long SECOND = Duration.ofSeconds(1).toNanos();
  private static final Limits LIMITS = Limits.DEFAULT;

  /** Worst case under the default limits: stores that doubled, arrays, one kept packet. */
  private static final long MEMORY_BOUND = 1024 * 1024;

  private final FragmentReassembler reassembler = new FragmentReassembler();
  private final ByteBuffer junk = ByteBuffer.allocate(0x10000);
  private long now = 1_000 * SECOND;

  private Outcome offer(int id, int offset, boolean more, int length) {
    now += 1_000; // a microsecond between datagrams: a flood, well inside the lifetime
    return reassembler.accept(id, offset, more, junk, 0, length, now);
  }

  @Test
  void floodOfOneByteFragmentsWithDistinctIdsStaysWithinTheLimits() {
    for (int i = 0; i < 200_000; i++) {
      assertThat(offer(i & 0xffff, 0, true, 1)).isEqualTo(Outcome.INCOMPLETE);
    }
    assertThat(reassembler.pending()).isEqualTo(LIMITS.partialPackets());
    assertThat(reassembler.bufferedBytes()).isEqualTo(LIMITS.partialPackets());
    assertThat(reassembler.fragmentsHeld()).isEqualTo(LIMITS.partialPackets());
    // Sixty-four slots of a few dozen bytes each, not 4096 (Lightway's map) or more.
    assertThat(reassembler.retainedBytes()).isLessThan(16 * 1024);
  }

  @Test
  void floodOfLargeFragmentsThatNeverTouchIsBoundedByBytes() {
    // Each id gets fragments with gaps between them, so none ever completes or merges.
    for (int i = 0; i < 20_000; i++) {
      offer(i / 40, (i % 40) * 2400, true, 1200);
    }
    assertThat(reassembler.bufferedBytes()).isLessThanOrEqualTo(LIMITS.bufferedBytes());
    // Room is made a whole packet (40 fragments) at a time.
    assertThat(reassembler.bufferedBytes()).isGreaterThan(LIMITS.bufferedBytes() - 40 * 1200);
    assertThat(reassembler.retainedBytes()).isLessThan(MEMORY_BOUND);
  }

  @Test
  void floodOfTinyFragmentsOfOnePacketIsBoundedByFragmentCount() {
    for (int i = 0; i < 10_000; i++) {
      offer(7, i * 16, true, 1);
    }
    assertThat(reassembler.fragmentsHeld()).isLessThanOrEqualTo(LIMITS.fragments());
    assertThat(reassembler.retainedBytes()).isLessThan(MEMORY_BOUND);
  }

  @Test
  void aPacketInterleavedWithAFloodStillReassembles() {
    byte[] packet = new byte[3000];
    new SplittableRandom(15).nextBytes(packet);
    ByteBuffer real = ByteBuffer.wrap(packet);
    int legitimateId = 0x8000;
    int flood = 0;
    int[] offsets = {1288, 0, 2576};
    Outcome last = null;
    for (int offset : offsets) {
      for (int i = 0; i < 40; i++) {
        offer(flood++, 0, true, 1);
      }
      now += 1_000;
      int length = Math.min(1288, packet.length - offset);
      last =
          reassembler.accept(
              legitimateId, offset, offset + length < 3000, real, offset, length, now);
    }
    assertThat(last).isEqualTo(Outcome.COMPLETE);
    ByteBuffer completed = reassembler.completedPacket();
    byte[] bytes = new byte[completed.remaining()];
    completed.get(0, bytes);
    assertThat(bytes).isEqualTo(packet);
  }

  @Test
  void aPacketLargerThanTheByteLimitIsRefused() {
    FragmentReassembler small =
        new FragmentReassembler(new Limits(4, 2048, 16, Duration.ofSeconds(2)));
    assertThat(small.accept(1, 0, true, junk, 0, 1200, now)).isEqualTo(Outcome.INCOMPLETE);
    assertThat(small.accept(1, 1200, true, junk, 0, 1200, now)).isEqualTo(Outcome.REFUSED);
    assertThat(small.refusal()).isEqualTo(FragmentError.TOO_LARGE);
    assertThat(small.pending()).isZero();
    assertThat(small.bufferedBytes()).isZero();
  }

  @Test
  void partialPacketsExpireAfterTheirLifetime() {
    for (int id = 0; id < 10; id++) {
      offer(id, 0, true, 100);
    }
    assertThat(reassembler.nextExpiryNanos())
        .isLessThanOrEqualTo(now + LIMITS.lifetime().toNanos());
    reassembler.expire(now + LIMITS.lifetime().toNanos() - 20_000);
    assertThat(reassembler.pending()).isEqualTo(10);
    reassembler.expire(now + LIMITS.lifetime().toNanos());
    assertThat(reassembler.pending()).isZero();
    assertThat(reassembler.bufferedBytes()).isZero();
    assertThat(reassembler.fragmentsHeld()).isZero();
    assertThat(reassembler.expirations()).isEqualTo(10);
    assertThat(reassembler.nextExpiryNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aPartialPacketKeptAliveByTrickledFragmentsStillExpires() {
    assertThat(offer(3, 0, true, 8)).isEqualTo(Outcome.INCOMPLETE);
    for (int i = 1; i < 20; i++) {
      now += SECOND / 10;
      reassembler.accept(3, i * 16, true, junk, 0, 8, now);
    }
    // Two seconds after its first fragment the packet is gone: its gap-filler starts afresh.
    now += SECOND / 10;
    assertThat(reassembler.accept(3, 8, true, junk, 0, 8, now)).isEqualTo(Outcome.INCOMPLETE);
    assertThat(reassembler.fragmentsHeld()).isEqualTo(1);
    assertThat(reassembler.expirations()).isEqualTo(1);
  }

  @Test
  void expiryMakesTheFloodsMemoryReusable() {
    for (int i = 0; i < 5_000; i++) {
      offer(i, (i % 40) * 2400, true, 1200);
    }
    reassembler.expire(now + LIMITS.lifetime().toNanos());
    assertThat(reassembler.pending()).isZero();
    // Slots keep only small arrays for reuse.
    assertThat(reassembler.retainedBytes()).isLessThan(LIMITS.partialPackets() * 4700L + 16 * 1024);
  }

  @Test
  void steadyReassemblyAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    ByteBuffer packet = ByteBuffer.allocate(1350);
    long sum = reassembleRounds(packet, 20_000);
    long before = threads.getCurrentThreadAllocatedBytes();
    sum += reassembleRounds(packet, 20_000);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(sum).isEqualTo(40_000L * 1350);
    assertThat(allocated).as("bytes allocated over 20000 packets").isLessThan(2_000);
  }

  private long reassembleRounds(ByteBuffer packet, int rounds) {
    long sum = 0;
    for (int i = 0; i < rounds; i++) {
      now += 1_000;
      int id = i & 0xffff;
      // Second fragment first, as reordering delivers it sometimes.
      reassembler.accept(id, 1288, false, packet, 1288, 62, now);
      if (reassembler.accept(id, 0, true, packet, 0, 1288, now) == Outcome.COMPLETE) {
        sum += reassembler.completedPacket().remaining();
      }
    }
    return sum;
  }
}
