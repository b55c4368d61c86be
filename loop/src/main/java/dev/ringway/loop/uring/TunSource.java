package dev.ringway.loop.uring;

import dev.ringway.loop.InsideReceiver;
import dev.ringway.loop.PathCounters;
import dev.ringway.loop.PathName;
import dev.ringway.loop.TunWriter;
import dev.ringway.loop.TxPool;
import dev.ringway.uring.Errno;
import dev.ringway.uring.LinuxException;
import dev.ringway.uring.Tun;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inside: reads from and writes to the TUN device.
 *
 * <p>user_data: tag {@code rxTag}, index = read slot (0 .. {@code io.tun.rxSlots}−1), generation =
 * the slot's arming count; tag {@code txTag}, index = {@link TxPool} slot. A read slot holds one
 * {@link TxPool#SLOT_BYTES} buffer and its reusable {@link ByteBuffer} view; a read keeps it until
 * its completion.
 *
 * <p>With a non-blocking TUN fd every armed read waits in the kernel, and when one packet arrives
 * they all wake and the losers complete with {@code -EAGAIN}: that count, per path, is the key
 * tuning signal for {@code io.tun.rxSlots}. A blocking fd avoids it and needs fewer slots.
 *
 * <p>Live changes: more slots are armed at once; extra slots are cancelled and retired when their
 * read completes (a read that completes with data instead is processed first, never dropped); the
 * blocking toggle cancels every read, flips {@code O_NONBLOCK} once all have completed, and
 * re-arms.
 */
public final class TunSource implements IoSource, TunWriter {
  private static final Logger log = LoggerFactory.getLogger(TunSource.class);

  private final Tun tun;
  private final int rxTag;
  private final int txTag;
  private final TxPool txPool;
  private final List<ReadSlot> slots = new ArrayList<>();
  private final InsideReceiver receiver;
  private EventLoop loop;
  private PathCounters rx;
  private PathCounters tx;
  private int target;
  private boolean stopping;
  private boolean pendingBlockingChange;
  private boolean blocking;
  private int inFlight;

  private static final class ReadSlot {
    final MemorySegment buffer;
    final ByteBuffer view;
    int generation;
    boolean armed;
    boolean parked;

    ReadSlot() {
      this.buffer = Arena.ofAuto().allocate(TxPool.SLOT_BYTES, 64);
      this.view = buffer.asByteBuffer();
    }
  }

  public TunSource(
      Tun tun,
      int rxSlots,
      boolean blocking,
      TxPool txPool,
      int rxTag,
      int txTag,
      InsideReceiver receiver) {
    this.tun = tun;
    this.target = rxSlots;
    this.blocking = blocking;
    this.txPool = txPool;
    this.rxTag = rxTag;
    this.txTag = txTag;
    this.receiver = receiver;
  }

  /** Registers this source's two tags on {@code loop}. */
  public void registerOn(EventLoop loop) {
    loop.register(rxTag, this);
    loop.register(txTag, this);
  }

  @Override
  public void arm(EventLoop loop) {
    this.loop = loop;
    this.rx = loop.counters(PathName.TUN_RX);
    this.tx = loop.counters(PathName.TUN_TX);
    try {
      tun.setNonBlocking(!blocking);
    } catch (LinuxException e) {
      throw new IllegalStateException(
          "cannot set the TUN fd's blocking mode: " + e.getMessage(), e);
    }
    while (slots.size() < target) {
      slots.add(new ReadSlot());
    }
    rx.slots(target);
    tx.slots(txPool.size());
    for (int i = 0; i < target; i++) {
      armRead(i);
    }
  }

  /** The TUN device's fd. */
  public int fd() {
    return tun.fd();
  }

  /** The configured number of read slots. */
  public int rxSlots() {
    return target;
  }

  /** Whether reads block in the kernel (the fd has no {@code O_NONBLOCK}). */
  public boolean blocking() {
    return blocking;
  }

  /** Changes the number of concurrent reads; see the class comment. Loop thread only. */
  public void resize(int rxSlots) {
    if (rxSlots < 1) {
      throw new IllegalArgumentException("io.tun.rxSlots must be at least 1, got " + rxSlots);
    }
    int old = target;
    target = rxSlots;
    rx.slots(rxSlots);
    while (slots.size() < rxSlots) {
      slots.add(new ReadSlot());
    }
    for (int i = old; i < rxSlots; i++) {
      if (!slots.get(i).armed) {
        armRead(i);
      }
    }
    for (int i = rxSlots; i < slots.size(); i++) {
      ReadSlot slot = slots.get(i);
      slot.parked = false;
      if (slot.armed) {
        cancel(i, slot);
      }
    }
    trimRetired();
  }

  /**
   * Switches the fd between blocking and non-blocking reads: every read is cancelled, and once the
   * last has completed the mode flips and the reads are armed again. Loop thread only.
   */
  public void setBlocking(boolean blocking) {
    if (blocking == this.blocking && !pendingBlockingChange) {
      return;
    }
    this.blocking = blocking;
    pendingBlockingChange = true;
    for (int i = 0; i < slots.size(); i++) {
      ReadSlot slot = slots.get(i);
      if (slot.armed) {
        cancel(i, slot);
      }
    }
    applyBlockingIfQuiet();
  }

  /**
   * Sends {@code length} bytes of {@code slot}'s buffer to the TUN device (one inside packet). The
   * slot is released when the write completes.
   */
  @Override
  public void write(TxPool.Slot slot, int length) {
    long userData = UserData.of(txTag, 0, slot.index());
    if (!loop.ring().prepWrite(tun.fd(), slot.buffer(), length, -1, userData)) {
      tx.slotExhausted();
      txPool.release(slot);
      return;
    }
    tx.submitted();
    inFlight++;
  }

  @Override
  public void complete(long userData, int res, int flags) {
    inFlight--;
    int index = UserData.index(userData);
    if (UserData.tag(userData) == txTag) {
      tx.completed(res);
      txPool.release(txPool.slot(index));
      return;
    }
    ReadSlot slot = slots.get(index);
    slot.armed = false;
    rx.completed(res);
    if (res > 0) {
      slot.view.clear().limit(res);
      receiver.packet(slot.buffer, slot.view, res);
    } else if (res < 0 && res != -Errno.EAGAIN && res != -Errno.ECANCELED) {
      log.debug("TUN read failed: errno {}", -res);
    }
    if (stopping) {
      return;
    }
    if (pendingBlockingChange) {
      applyBlockingIfQuiet();
      return;
    }
    if (index >= target) {
      trimRetired();
      return;
    }
    rearmOrPark(index, slot);
  }

  @Override
  public void afterBatch() {
    if (txPool.free() == 0 || pendingBlockingChange || stopping) {
      return;
    }
    for (int i = 0; i < target; i++) {
      ReadSlot slot = slots.get(i);
      if (slot.parked) {
        slot.parked = false;
        armRead(i);
      }
    }
  }

  @Override
  public void cancelAll(EventLoop loop) {
    stopping = true;
    for (int i = 0; i < slots.size(); i++) {
      ReadSlot slot = slots.get(i);
      if (slot.armed) {
        cancel(i, slot);
      }
    }
  }

  @Override
  public void moveReads(EventLoop loop, dev.ringway.uring.Ring old) {
    for (int i = 0; i < slots.size(); i++) {
      var slot = slots.get(i);
      if (slot.armed) {
        old.prepCancel(UserData.of(rxTag, slot.generation, i), UserData.of(UserData.IGNORED, 0, 0));
      }
    }
  }

  @Override
  public int inFlight() {
    return inFlight;
  }

  @Override
  public void close() {
    try {
      tun.close();
    } catch (LinuxException e) {
      log.warn("closing the TUN device failed: {}", e.getMessage());
    }
  }

  private void rearmOrPark(int index, ReadSlot slot) {
    // Back-pressure: with no free TX slot the packet we would read next could not be sent on, so
    // the read waits for a slot instead of reading into a drop.
    if (txPool.free() == 0) {
      slot.parked = true;
      rx.slotExhausted();
    } else {
      armRead(index);
    }
  }

  private void armRead(int index) {
    ReadSlot slot = slots.get(index);
    slot.generation++;
    long userData = UserData.of(rxTag, slot.generation, index);
    if (!loop.ring().prepRead(tun.fd(), slot.buffer, TxPool.SLOT_BYTES, -1, userData)) {
      slot.parked = true;
      return;
    }
    slot.armed = true;
    rx.submitted();
    inFlight++;
  }

  private void cancel(int index, ReadSlot slot) {
    long target = UserData.of(rxTag, slot.generation, index);
    loop.ring().prepCancel(target, UserData.of(UserData.IGNORED, 0, 0));
  }

  private void applyBlockingIfQuiet() {
    for (ReadSlot slot : slots) {
      if (slot.armed) {
        return;
      }
    }
    try {
      tun.setNonBlocking(!blocking);
    } catch (LinuxException e) {
      log.error("could not switch TUN blocking mode: {}", e.getMessage());
    }
    pendingBlockingChange = false;
    for (int i = 0; i < target; i++) {
      slots.get(i).parked = false;
      armRead(i);
    }
    trimRetired();
  }

  /** Drops slots above the target whose reads have completed; their memory is the GC's now. */
  private void trimRetired() {
    for (int i = slots.size() - 1; i >= target && !slots.get(i).armed; i--) {
      slots.remove(i);
    }
  }
}
