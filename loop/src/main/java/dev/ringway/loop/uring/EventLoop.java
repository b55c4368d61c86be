package dev.ringway.loop.uring;

import dev.ringway.loop.LoopCore;
import dev.ringway.loop.LoopSnapshot;
import dev.ringway.loop.RingFigures;
import dev.ringway.uring.Cqe;
import dev.ringway.uring.CqeHandler;
import dev.ringway.uring.Errno;
import dev.ringway.uring.EventFd;
import dev.ringway.uring.LinuxException;
import dev.ringway.uring.Ring;
import dev.ringway.uring.RingOptions;
import dev.ringway.uring.Sqe;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread, one ring. The thread that calls {@link #run()} owns the ring, every source, every
 * buffer and every counter; nothing on the data path takes a lock.
 *
 * <p>Other threads talk to the loop only through {@link #call(Callable)}: the command goes into a
 * queue and the loop's eventfd is signalled; a read of that eventfd is always armed on the ring, so
 * the loop wakes, runs the command between completion batches and completes the returned future.
 *
 * <p>One periodic timer ({@code IORING_OP_TIMEOUT}, multishot) drives everything time-based: the
 * tick listener (keepalives, session expiry, DTLS retransmission) and the stats snapshot.
 *
 * <p>user_data: {@link UserData#CONTROL} is the eventfd read (index 0), {@link UserData#TIMER} the
 * tick; sources use tags from {@link UserData#FIRST_SOURCE}.
 */
public final class EventLoop extends LoopCore implements CqeHandler {
  private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
  private static final long CONTROL_READ = UserData.of(UserData.CONTROL, 0, 0);
  private static final long STOP_DRAIN_NANOS = 1_500_000_000L;
  private static final long MIGRATION_POLL_NANOS = 1_000_000L;

  private RingOptions ringOptions;
  private final long tickNanos;
  private final IoSource[] sources = new IoSource[UserData.MAX_TAGS];
  private final List<IoSource> armed = new ArrayList<>();
  private final EventFd wakeup;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment controlBuffer = arena.allocate(Long.BYTES, Long.BYTES);

  private Ring ring;
  private Ring retiring;
  private boolean commandsPending;
  private long generation;
  private int timerGeneration;

  /**
   * A loop that will set up its ring with {@code ringOptions} on the thread that calls {@link
   * #run()}.
   *
   * @param tickNanos how often the tick listener runs
   * @param statsNanos how often a {@link LoopSnapshot} is taken
   */
  public EventLoop(RingOptions ringOptions, long tickNanos, long statsNanos) throws LinuxException {
    super(statsNanos);
    this.ringOptions = ringOptions;
    this.tickNanos = tickNanos;
    this.wakeup = EventFd.open(0);
    publishFirstSnapshot();
  }

  @Override
  public String engine() {
    return "uring";
  }

  /** Registers {@code source} to complete the requests tagged {@code tag}; before {@link #run}. */
  public void register(int tag, IoSource source) {
    if (tag < UserData.FIRST_SOURCE || tag >= UserData.MAX_TAGS) {
      throw new IllegalArgumentException("source tags run from 8 to 255, got " + tag);
    }
    if (sources[tag] != null) {
      throw new IllegalStateException("tag " + tag + " is taken");
    }
    sources[tag] = source;
    // A source with several tags (receive and send) is armed, batched and closed once.
    if (!armed.contains(source)) {
      armed.add(source);
    }
  }

  /** The ring; only for the loop thread. */
  public Ring ring() {
    return ring;
  }

  /** How many times the ring was replaced since start. */
  public long generation() {
    return generation;
  }

  /**
   * Sets up the ring on the calling thread and runs until {@link #stop()}. On return every request
   * has completed or the ring is closed, so every buffer is free to release.
   */
  @Override
  public void run() throws LinuxException {
    enter();
    try {
      ring = openRing(ringOptions);
      armControl();
      armTimer();
      for (IoSource source : armed) {
        source.arm(this);
      }
      ring.submit();
    } catch (LinuxException | RuntimeException e) {
      markFailed(e);
      closeAll();
      throw e;
    }
    markStarted();
    try {
      while (!stopRequested()) {
        if (retiring == null) {
          ring.submitAndWait(1);
        } else {
          ring.submitAndWait(1, MIGRATION_POLL_NANOS);
        }
        long start = System.nanoTime();
        ring.drain(this);
        if (commandsPending) {
          runPendingCommands();
        }
        if (retiring != null) {
          reapRetiring();
        }
        for (int i = 0; i < armed.size(); i++) {
          armed.get(i).afterBatch();
        }
        long spent = System.nanoTime() - start;
        iterationTook(spent);
      }
      drainForStop();
    } finally {
      closeAll();
    }
  }

  @Override
  protected void wake() throws LinuxException {
    wakeup.signal();
  }

  @Override
  protected void stopWakeFailed(IOException e) {
    log.warn("could not wake the loop to stop it: {}", e.getMessage());
  }

  @Override
  public void handle(long userData, int res, int flags) {
    int tag = UserData.tag(userData);
    switch (tag) {
      case UserData.CONTROL -> controlReady(res);
      case UserData.TIMER -> timerFired(userData, flags);
      case UserData.IGNORED -> {}
      default -> {
        IoSource source = sources[tag];
        if (source == null) {
          log.error(
              "completion for unknown tag {} (user_data {})", tag, Long.toHexString(userData));
          return;
        }
        source.complete(userData, res, flags);
      }
    }
  }

  /** The options the current ring was set up with (entries, SQPOLL idle). */
  public RingOptions ringOptions() {
    return ringOptions;
  }

  /**
   * Changes the ring's size to {@code entries} submission entries (and twice that many completion
   * entries). Where the kernel can resize a live ring ({@code IORING_REGISTER_RESIZE_RINGS}, 6.13+,
   * rings without SQPOLL) requests in flight simply continue; elsewhere the loop migrates to a new
   * ring (see {@link #migrate}). Loop thread only, typically inside {@link #call}.
   *
   * @return true when the ring was resized in place, false when it was migrated
   */
  public boolean resizeRing(int entries) throws LinuxException {
    requireLoopThread();
    RingOptions resized = ringOptions.withEntries(entries).withCqEntries(2 * entries);
    if (ring.canResize() && retiring == null) {
      try {
        ring.resize(entries, 2 * entries);
        ringOptions = resized;
        return true;
      } catch (LinuxException e) {
        log.info("resizing the ring in place failed ({}); migrating instead", e.getMessage());
      }
    }
    migrate(resized);
    return false;
  }

  /**
   * Moves the loop to a new ring set up with {@code options} (a new size, SQPOLL on or off, a new
   * SQPOLL idle time): the new ring takes every new request at once; every read armed on the old
   * ring is cancelled, and the old ring is reaped until its cancels and sends have all completed (a
   * read that completes with data instead of being cancelled is processed, never dropped; its
   * source re-arms it on the new ring), then closed. Connections and sockets are untouched. {@link
   * #generation()} counts migrations. Loop thread only.
   */
  public void migrate(RingOptions options) throws LinuxException {
    requireLoopThread();
    if (retiring != null) {
      finishRetiring(System.nanoTime() + STOP_DRAIN_NANOS);
    }
    Ring next = openRing(options);
    Ring old = ring;
    old.submit();
    ring = next;
    retiring = old;
    ringOptions = options;
    generation++;
    long ignored = UserData.of(UserData.IGNORED, 0, 0);
    old.prepCancel(CONTROL_READ, ignored);
    old.prepCancel(UserData.of(UserData.TIMER, timerGeneration, 0), ignored);
    armTimer();
    for (IoSource source : armed) {
      source.moveReads(this, old);
    }
    old.submit();
  }

  private void reapRetiring() {
    try {
      retiring.submit();
      retiring.drain(this);
      if (retiring.inFlight() <= 0) {
        closeRetiring();
      }
    } catch (LinuxException e) {
      log.warn("reaping the old ring failed: {}", e.getMessage());
    }
  }

  private void finishRetiring(long deadline) throws LinuxException {
    while (retiring != null && retiring.inFlight() > 0 && System.nanoTime() - deadline < 0) {
      retiring.submitAndWait(1, MIGRATION_POLL_NANOS);
      retiring.drain(this);
    }
    if (retiring != null) {
      closeRetiring();
    }
  }

  private void closeRetiring() {
    Ring old = retiring;
    retiring = null;
    try {
      old.close();
    } catch (LinuxException | RuntimeException e) {
      log.warn("closing the old ring failed: {}", e.getMessage());
    }
  }

  /** A ring whose {@code prep*} calls submit to make room when its queue is full. */
  private static Ring openRing(RingOptions options) throws LinuxException {
    Ring opened = Ring.open(options);
    opened.submitWhenFull();
    return opened;
  }

  private void requireLoopThread() {
    if (!inLoop()) {
      throw new IllegalStateException("only the loop thread may change the ring; use call()");
    }
  }

  private void armControl() {
    ring.prepRead(wakeup.fd(), controlBuffer, Long.BYTES, 0, CONTROL_READ);
  }

  private void controlReady(int res) {
    if (res < 0 && res != -Errno.ECANCELED) {
      log.warn("control eventfd read failed: errno {}", -res);
    }
    // Commands run after the batch (runCommands), never inside a drain: a command may resize or
    // replace the ring whose completion queue is being walked.
    commandsPending = true;
    if (!stopRequested()) {
      // A cancel here means a ring migration moved the read: arm it again on the current ring.
      armControl();
    }
  }

  private void runPendingCommands() {
    commandsPending = false;
    runCommands();
  }

  private void armTimer() {
    timerGeneration++;
    long userData = UserData.of(UserData.TIMER, timerGeneration, 0);
    ring.prepTimeout(tickNanos, 0, Sqe.TIMEOUT_MULTISHOT, userData);
  }

  private void timerFired(long userData, int flags) {
    if (UserData.generation(userData) != timerGeneration || stopRequested()) {
      return;
    }
    tick(System.nanoTime());
    if (!Cqe.hasMore(flags)) {
      armTimer();
    }
  }

  @Override
  protected RingFigures ringFigures(long maxIterationNanos) {
    return ring == null
        ? new RingFigures(
            ringOptions.entries(), 0, ringOptions.sqpollIdleMillis(), 0, 0, 0, 0, 0, 0)
        : new RingFigures(
            ring.sqEntries(),
            ring.cqEntries(),
            ringOptions.sqpollIdleMillis(),
            generation,
            ring.enters(),
            ring.cqesReaped(),
            ring.cqOverflowEvents(),
            ring.sqFull(),
            maxIterationNanos);
  }

  /**
   * Cancels every request and reaps completions until none is in flight (or the deadline passes),
   * so that no buffer is freed while the kernel may still write it.
   */
  private void drainForStop() throws LinuxException {
    runPendingCommands();
    if (retiring != null) {
      finishRetiring(System.nanoTime() + STOP_DRAIN_NANOS);
    }
    long begin = System.nanoTime();
    for (IoSource source : armed) {
      source.cancelAll(this);
    }
    ring.prepCancelAll(UserData.of(UserData.IGNORED, 0, 0));
    long deadline = System.nanoTime() + STOP_DRAIN_NANOS;
    while (ring.inFlight() > 0 && System.nanoTime() - deadline < 0) {
      ring.submitAndWait(1, 50_000_000L);
      ring.drain(this);
    }
    if (ring.inFlight() > 0) {
      log.warn(
          "{} requests still in flight at stop; closing the ring reclaims them", ring.inFlight());
    }
  }

  private void closeAll() {
    // The ring goes first: only once it is closed may memory the kernel saw be released.
    if (ring != null) {
      try {
        ring.close();
      } catch (LinuxException e) {
        log.warn("closing the ring failed: {}", e.getMessage());
      }
    }
    for (IoSource source : armed) {
      source.close();
    }
    try {
      wakeup.close();
    } catch (LinuxException e) {
      log.warn("closing the eventfd failed: {}", e.getMessage());
    }
    arena.close();
  }
}
