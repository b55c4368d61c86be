package dev.ringway.loop.nio;

import dev.ringway.loop.InsideReceiver;
import dev.ringway.loop.PathCounters;
import dev.ringway.loop.PathName;
import dev.ringway.loop.TunWriter;
import dev.ringway.loop.TxPool;
import dev.ringway.uring.Errno;
import dev.ringway.uring.EventFd;
import dev.ringway.uring.FdCalls;
import dev.ringway.uring.LinuxException;
import dev.ringway.uring.Tun;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inside on the {@link NioLoop}. A {@code Selector} cannot watch a raw fd, so one reader thread
 * owns the reads: it reads the non-blocking TUN fd until {@code EAGAIN} into a ring of {@value
 * #BUFFERS} off-heap buffers, publishes each packet, and sleeps in {@code poll(2)} on the TUN fd
 * and a stop eventfd when the device has nothing more. The loop takes the published packets in
 * order, hands each to the receiver (which encrypts it into a TX slot at once), and gives the
 * buffer back by advancing its consumed index. Both indices are volatile and each has one writer,
 * so the hand-over takes no lock and allocates nothing; the reader wakes the selector only when the
 * loop is about to sleep, so a busy loop takes packets in batches.
 *
 * <p>Nothing is dropped here without a count: when every buffer waits for the loop, the reader
 * stops reading (counted as slot exhaustion on {@code tun.rx}) and the packets wait in the kernel's
 * TUN queue, whose own overflow the kernel counts as the interface's drops; the loop likewise
 * leaves packets in the ring while no TX slot is free. A read that would block counts as EAGAIN.
 *
 * <p>Writes are plain non-blocking {@code write(2)} calls on the loop thread, one per packet (TUN
 * writes do not block; one that fails is counted and dropped). They are queued in order as the
 * connections deliver and written after the selector's batch ({@link #afterSelect}), as the ring
 * submits once per iteration: from that shallow call site the JIT inlines the whole downcall and
 * removes the errno capture's per-call slice, which deep inside the protocol code it could not.
 *
 * <p>{@code io.tun.rxSlots} and {@code io.tun.blocking} have no meaning here: the fd is always
 * non-blocking and the ring's size is fixed.
 */
public final class NioTunSource implements NioSource, TunWriter {
  private static final Logger log = LoggerFactory.getLogger(NioTunSource.class);

  /** Buffers between the reader and the loop; a power of two. */
  static final int BUFFERS = 256;

  private static final int MASK = BUFFERS - 1;

  /** Packets the loop takes per iteration, so that the outside gets its turn. */
  private static final int BATCH = 64;

  private static final long ERROR_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long STOP_WAIT_MILLIS = 2000;

  private final Tun tun;
  private final TxPool txPool;
  private final InsideReceiver receiver;
  private final MemorySegment[] buffers = new MemorySegment[BUFFERS];
  private final ByteBuffer[] views = new ByteBuffer[BUFFERS];
  private final int[] lengths = new int[BUFFERS];
  private final FdCalls loopCalls = new FdCalls();
  private final EventFd stopSignal;

  // Written by the reader only.
  private volatile long published;
  private volatile long readerEagain;
  private volatile long readerErrors;
  private volatile long readerWaits;
  private volatile boolean readerWaiting;
  // Written by the loop only.
  private volatile long consumed;
  private volatile boolean stopping;

  private NioLoop loop;
  private Thread reader;
  private PathCounters rx;
  private PathCounters tx;
  private long countedEagain;
  private long countedErrors;
  private long countedWaits;
  private boolean waitingForTx;
  private TxPool.Slot[] writes = new TxPool.Slot[64];
  private int[] writeLengths = new int[64];
  private int writeCount;

  /** A source on {@code tun}; its fd is switched to non-blocking when armed. */
  public NioTunSource(Tun tun, TxPool txPool, InsideReceiver receiver) throws LinuxException {
    this.tun = tun;
    this.txPool = txPool;
    this.receiver = receiver;
    this.stopSignal = EventFd.open(EventFd.EFD_CLOEXEC);
    Arena arena = Arena.ofAuto();
    for (int i = 0; i < BUFFERS; i++) {
      buffers[i] = arena.allocate(TxPool.SLOT_BYTES, 64);
      views[i] = buffers[i].asByteBuffer();
    }
  }

  /** Adds this source to {@code loop}. */
  public void registerOn(NioLoop loop) {
    loop.register(this);
  }

  @Override
  public void arm(NioLoop loop) throws LinuxException {
    this.loop = loop;
    this.rx = loop.counters(PathName.TUN_RX);
    this.tx = loop.counters(PathName.TUN_TX);
    rx.slots(BUFFERS);
    tx.slots(txPool.size());
    tun.setNonBlocking(true);
    reader = Thread.ofPlatform().name("ringway-tun-reader").daemon(true).start(this::readLoop);
  }

  @Override
  public void ready(SelectionKey key) {
    // Registers nothing on the selector: packets arrive through the reader's ring.
  }

  @Override
  public void afterSelect() {
    writeQueued();
    countReaderFigures();
    long available = published;
    long next = consumed;
    int taken = 0;
    while (next != available && taken < BATCH) {
      if (txPool.free() == 0) {
        if (!waitingForTx) {
          waitingForTx = true;
          rx.slotExhausted();
        }
        break;
      }
      waitingForTx = false;
      int index = (int) (next & MASK);
      int length = lengths[index];
      rx.completedAtOnce(length);
      ByteBuffer view = views[index];
      view.clear().limit(length);
      receiver.packet(buffers[index], view, length);
      next++;
      taken++;
    }
    if (taken > 0) {
      consumed = next;
      if (readerWaiting) {
        LockSupport.unpark(reader);
      }
    }
  }

  @Override
  public boolean hasWork() {
    return writeCount > 0 || (published != consumed && txPool.free() > 0);
  }

  /** Queues the packet; it is written after this batch, and the slot then goes back to the pool. */
  @Override
  public void write(TxPool.Slot slot, int length) {
    if (writeCount == writes.length) {
      writes = Arrays.copyOf(writes, 2 * writeCount);
      writeLengths = Arrays.copyOf(writeLengths, 2 * writeCount);
    }
    writes[writeCount] = slot;
    writeLengths[writeCount] = length;
    writeCount++;
  }

  /** Writes the queued packets in order. */
  private void writeQueued() {
    int fd = tun.fd();
    for (int i = 0; i < writeCount; i++) {
      TxPool.Slot slot = writes[i];
      writes[i] = null;
      int result = loopCalls.write(fd, slot.buffer(), writeLengths[i]);
      tx.completedAtOnce(result);
      if (result < 0) {
        log.debug("TUN write failed: {}", Errno.name(-result));
      }
      txPool.release(slot);
    }
    writeCount = 0;
  }

  /**
   * Writes what is queued, then stops the reader and waits for it, so that no read uses a buffer or
   * the fd after this.
   */
  @Override
  public void stop() {
    if (tx != null) {
      writeQueued();
    }
    stopping = true;
    Thread running = reader;
    if (running == null) {
      return;
    }
    try {
      stopSignal.signal();
    } catch (LinuxException e) {
      log.warn("could not signal the TUN reader to stop: {}", e.getMessage());
    }
    LockSupport.unpark(running);
    try {
      running.join(STOP_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (running.isAlive()) {
      log.warn("the TUN reader did not stop within {} ms", STOP_WAIT_MILLIS);
    }
  }

  @Override
  public void close() {
    try {
      tun.close();
    } catch (LinuxException e) {
      log.warn("closing the TUN device failed: {}", e.getMessage());
    }
    try {
      stopSignal.close();
    } catch (LinuxException e) {
      log.warn("closing the TUN reader's eventfd failed: {}", e.getMessage());
    }
  }

  /** The reader's counts since the last call, into the loop's counters (loop thread). */
  private void countReaderFigures() {
    long eagain = readerEagain;
    for (; countedEagain < eagain; countedEagain++) {
      rx.completedAtOnce(-Errno.EAGAIN);
    }
    long errors = readerErrors;
    for (; countedErrors < errors; countedErrors++) {
      rx.completedAtOnce(-Errno.EIO);
    }
    long waits = readerWaits;
    for (; countedWaits < waits; countedWaits++) {
      rx.slotExhausted();
    }
  }

  /** The reader thread: read until EAGAIN, publish, poll; wait while every buffer is taken. */
  private void readLoop() {
    FdCalls calls = new FdCalls();
    int fd = tun.fd();
    while (!stopping) {
      int outcome = readBurst(calls, fd);
      if (outcome == BUFFERS_TAKEN) {
        awaitBuffer();
      } else if (outcome == -Errno.EAGAIN) {
        calls.pollIn(fd, stopSignal.fd());
      } else if (outcome != -Errno.EINTR) {
        log.debug("TUN read failed: {}", outcome == 0 ? "end of file" : Errno.name(-outcome));
        // A device in a broken state fails every read at once: do not spin on it.
        LockSupport.parkNanos(ERROR_BACKOFF_NANOS);
      }
    }
  }

  /** What {@link #readBurst} returns when it stopped because every buffer waits for the loop. */
  private static final int BUFFERS_TAKEN = 1;

  /**
   * Reads and publishes packets until a read does not return one, or every buffer is taken; returns
   * {@link #BUFFERS_TAKEN} or the failed read's result (0 or {@code -errno}), counted. A method of
   * its own, called once per burst, so that the JIT compiles it whole with the read inlined, which
   * a loop entered once and never left would get only late, by on-stack replacement.
   */
  private int readBurst(FdCalls calls, int fd) {
    long next = published;
    while (!stopping) {
      if (next - consumed >= BUFFERS) {
        return BUFFERS_TAKEN;
      }
      int index = (int) (next & MASK);
      int result = calls.read(fd, buffers[index], TxPool.SLOT_BYTES);
      if (result <= 0) {
        if (result == -Errno.EAGAIN) {
          readerEagain++;
        } else if (result != -Errno.EINTR) {
          readerErrors++;
        }
        return result;
      }
      lengths[index] = result;
      published = ++next;
      loop.wakeupIfSelecting();
    }
    return -Errno.EINTR;
  }

  /** Sleeps until the loop gives a buffer back (or the source stops). */
  private void awaitBuffer() {
    readerWaits++;
    readerWaiting = true;
    // Checked again after announcing the wait: the loop reads readerWaiting after it advances
    // consumed, so one of the two sees the other (both volatile).
    if (published - consumed >= BUFFERS && !stopping) {
      LockSupport.park(this);
    }
    readerWaiting = false;
  }
}
