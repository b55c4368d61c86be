package dev.ringway.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The per-stream send queue both engines' TCP sources keep: all of a chunk or nothing, the last
 * slot filled before a new one is taken (but never a head the kernel is sending), short sends, the
 * bound and the pool's data reserve.
 */
class SendQueueTest {
  private final TxPool pool = new TxPool(16);
  private final SendQueue queue = new SendQueue(pool);

  private static ByteBuffer bytes(int length, int seed) {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    for (int i = 0; i < length; i++) {
      buffer.put(i, (byte) (seed + i));
    }
    return buffer;
  }

  /** Everything queued, in order, as one array (what the gathering write would send). */
  private byte[] drained() {
    ByteBuffer[] views = new ByteBuffer[pool.size()];
    int count = queue.gather(views);
    int total = 0;
    for (int i = 0; i < count; i++) {
      total += views[i].remaining();
    }
    byte[] out = new byte[total];
    int at = 0;
    for (int i = 0; i < count; i++) {
      int n = views[i].remaining();
      views[i].get(out, at, n);
      at += n;
    }
    return out;
  }

  @Test
  void smallChunksShareTheLastSlotAndLeaveInOrder() {
    assertThat(queue.offer(bytes(100, 0), 1 << 20, false)).isTrue();
    assertThat(queue.offer(bytes(200, 100), 1 << 20, false)).isTrue();

    assertThat(queue.count()).isEqualTo(1);
    assertThat(pool.free()).isEqualTo(15);
    assertThat(queue.queuedBytes()).isEqualTo(300);
    byte[] out = drained();
    assertThat(out).hasSize(300);
    for (int i = 0; i < 300; i++) {
      assertThat(out[i]).isEqualTo((byte) i);
    }
  }

  @Test
  void aChunkLongerThanASlotSpansSlotsAndIsConsumed() {
    ByteBuffer chunk = bytes(TxPool.SLOT_BYTES * 2 + 10, 7);

    assertThat(queue.offer(chunk, 1 << 20, false)).isTrue();

    assertThat(chunk.hasRemaining()).isFalse();
    assertThat(queue.count()).isEqualTo(3);
    assertThat(queue.headRemaining()).isEqualTo(TxPool.SLOT_BYTES);
  }

  @Test
  void aHeadBeingSentIsNotFilledFurther() {
    queue.offer(bytes(100, 0), 1 << 20, true);

    queue.offer(bytes(100, 0), 1 << 20, true);

    assertThat(queue.count()).isEqualTo(2);
    assertThat(pool.free()).isEqualTo(14);
  }

  @Test
  void overTheBoundNothingIsCopied() {
    queue.offer(bytes(1000, 0), 1500, false);
    ByteBuffer refused = bytes(600, 0);

    assertThat(queue.offer(refused, 1500, false)).isFalse();

    assertThat(refused.remaining()).isEqualTo(600);
    assertThat(queue.queuedBytes()).isEqualTo(1000);
    assertThat(pool.free()).isEqualTo(15);
  }

  @Test
  void withoutEnoughFreeSlotsNothingIsTaken() {
    TxPool small = new TxPool(2);
    SendQueue tight = new SendQueue(small);

    assertThat(tight.offer(bytes(TxPool.SLOT_BYTES * 2 + 1, 0), 1 << 20, false)).isFalse();

    assertThat(small.free()).isEqualTo(2);
    assertThat(tight.count()).isZero();
  }

  @Test
  void aShortSendLeavesTheRestOfTheHeadAndFullSendsGiveSlotsBack() {
    queue.offer(bytes(TxPool.SLOT_BYTES + 100, 3), 1 << 20, false);

    assertThat(queue.sent(1000)).as("short").isTrue();
    assertThat(queue.headSent()).isEqualTo(1000);
    assertThat(queue.headRemaining()).isEqualTo(TxPool.SLOT_BYTES - 1000);
    assertThat(pool.free()).isEqualTo(14);

    assertThat(queue.sent(TxPool.SLOT_BYTES - 1000 + 100)).isFalse();
    assertThat(queue.count()).isZero();
    assertThat(queue.queuedBytes()).isZero();
    assertThat(pool.free()).isEqualTo(16);
  }

  @Test
  void gatherStartsWhereTheLastWriteStopped() {
    queue.offer(bytes(50, 0), 1 << 20, false);
    queue.sent(20);

    byte[] out = drained();

    assertThat(out).hasSize(30);
    assertThat(out[0]).isEqualTo((byte) 20);
  }

  @Test
  void clearGivesEverySlotBack() {
    queue.offer(bytes(TxPool.SLOT_BYTES * 3, 0), 1 << 20, false);

    queue.clear();

    assertThat(pool.free()).isEqualTo(16);
    assertThat(queue.count()).isZero();
    assertThat(queue.queuedBytes()).isZero();
  }

  @Test
  void roomKeepsThePoolsDataReserveForControlFrames() {
    // 16 slots, a reserve of 2: inside data may take 14.
    queue.offer(bytes(TxPool.SLOT_BYTES * 13, 0), 1 << 30, false);

    assertThat(queue.hasRoom(TxPool.SLOT_BYTES, 1 << 30, false)).isTrue();
    assertThat(queue.hasRoom(TxPool.SLOT_BYTES * 2, 1 << 30, false)).isFalse();
    assertThat(queue.hasRoom(10, TxPool.SLOT_BYTES * 13, false)).as("bound").isFalse();
  }

  @Test
  void theQueueGrowsPastItsFirstCapacityInOrder() {
    TxPool big = new TxPool(64);
    SendQueue grown = new SendQueue(big);
    for (int i = 0; i < 20; i++) {
      ByteBuffer chunk = ByteBuffer.allocate(TxPool.SLOT_BYTES);
      chunk.put(0, (byte) i);
      assertThat(grown.offer(chunk, 1 << 30, true)).isTrue();
      if (i == 3) {
        grown.sent(TxPool.SLOT_BYTES); // the head moves, so growing must unwrap the ring
      }
    }

    assertThat(grown.count()).isEqualTo(19);
    assertThat(grown.headSlot().buffer().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0))
        .isEqualTo((byte) 1);
  }
}
