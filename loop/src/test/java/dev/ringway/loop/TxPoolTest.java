package dev.ringway.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared send slots: exhaustion, double release, and live resizing with slots in use. */
class TxPoolTest {
  @Test
  void aFullPoolSaysSoAndTakesSlotsBack() {
    TxPool pool = new TxPool(3);
    List<TxPool.Slot> taken = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      taken.add(pool.acquire());
    }

    assertThat(pool.acquire()).isNull();
    assertThat(pool.busy()).isEqualTo(3);
    pool.release(taken.get(1));
    assertThat(pool.free()).isEqualTo(1);
    assertThat(pool.acquire()).isSameAs(taken.get(1));
  }

  @Test
  void aSlotReleasedTwiceIsABug() {
    TxPool pool = new TxPool(2);
    TxPool.Slot slot = pool.acquire();
    pool.release(slot);

    assertThatThrownBy(() -> pool.release(slot)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shrinkingKeepsBusySlotsUntilTheyComeBackAndThenDropsThem() {
    TxPool pool = new TxPool(4);
    TxPool.Slot a = pool.acquire();
    TxPool.Slot b = pool.acquire();
    TxPool.Slot c = pool.acquire();
    TxPool.Slot d = pool.acquire();

    pool.resize(2);
    pool.release(d);
    pool.release(c);

    assertThat(pool.size()).isEqualTo(2);
    assertThat(pool.free()).as("slots above the size are not handed out again").isZero();
    pool.release(a);
    assertThat(pool.free()).isEqualTo(1);
    assertThat(pool.busy()).isEqualTo(1);
    pool.release(b);
    assertThat(pool.dataReserve()).isZero();
  }

  @Test
  void growingAddsFreeSlotsAtOnceAndTheReserveFollows() {
    TxPool pool = new TxPool(8);
    TxPool.Slot held = pool.acquire();

    pool.resize(64);

    assertThat(pool.free()).isEqualTo(63);
    assertThat(pool.dataReserve()).isEqualTo(8);
    pool.release(held);
    assertThat(pool.free()).isEqualTo(64);
  }

  @Test
  void aSlotsViewIsTheSameObjectClearedForWriting() {
    TxPool pool = new TxPool(1);
    TxPool.Slot slot = pool.acquire();
    slot.view().position(100).limit(200);

    assertThat(slot.view()).isSameAs(slot.view());
    assertThat(slot.view().position()).isZero();
    assertThat(slot.view().limit()).isEqualTo(TxPool.SLOT_BYTES);
  }

  @Test
  void aPoolNeedsASlot() {
    assertThatThrownBy(() -> new TxPool(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
