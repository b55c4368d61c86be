package dev.ringway.loop.nio;

import dev.ringway.loop.LoopCore;
import dev.ringway.loop.LoopSnapshot;
import dev.ringway.loop.PathCounters;
import dev.ringway.loop.RingFigures;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code nio} engine: the same loop as {@link EventLoop} — one owner thread, commands from
 * other threads through {@link #call}, one tick listener, one {@link LoopSnapshot} per stats
 * interval, the same {@link PathCounters} — driven by a {@code java.nio} {@link Selector} instead
 * of an io_uring ring. It is the portable fallback where io_uring is forbidden (seccomp, {@code
 * kernel.io_uring_disabled}) and the baseline the uring engine is measured against.
 *
 * <p>Each iteration selects (sleeping until the next tick when nothing is ready), lets every ready
 * source drain its channel, runs queued commands, lets every source take in what arrived outside
 * the selector (the TUN reader's packets) and finish what the iteration queued, and runs the tick.
 * Reads and sends are synchronous, so the path counters count each call as submitted and completed
 * at once ({@link PathCounters#completedAtOnce}): a read or send that would block counts as EAGAIN,
 * and nothing is ever in flight. The ring figures of its snapshots are zero, except the longest
 * iteration.
 *
 * <p>Commands wake the selector ({@link Selector#wakeup()}); helper threads that hand work to the
 * loop wake it only while it is about to sleep ({@link #wakeupIfSelecting()}), so that a busy loop
 * takes their work in batches without a wakeup per packet.
 */
public final class NioLoop extends LoopCore {
  private static final Logger log = LoggerFactory.getLogger(NioLoop.class);

  private final long tickNanos;
  private final Selector selector;
  private final List<NioSource> sources = new ArrayList<>();
  private final Consumer<SelectionKey> onReady = NioLoop::ready;

  private volatile boolean selecting;

  /**
   * A loop whose selector is open now; sources register before {@link #run()}.
   *
   * @param tickNanos how often the tick listener runs
   * @param statsNanos how often a {@link LoopSnapshot} is taken
   */
  public NioLoop(long tickNanos, long statsNanos) throws IOException {
    super(statsNanos);
    this.tickNanos = tickNanos;
    this.selector = Selector.open();
    publishFirstSnapshot();
  }

  @Override
  public String engine() {
    return "nio";
  }

  /** Adds {@code source}; before {@link #run()}. */
  void register(NioSource source) {
    sources.add(source);
  }

  /** The selector, for sources registering their channels while being armed. */
  Selector selector() {
    return selector;
  }

  /**
   * Wakes the loop if it is about to sleep or sleeping in select; for helper threads that have just
   * published work for it. The loop announces the sleep before it asks its sources for work ({@link
   * NioSource#hasWork}); the helper publishes before it calls this (both volatile), so either the
   * loop sees the work or the helper sees the loop selecting — never neither.
   */
  void wakeupIfSelecting() {
    if (selecting) {
      selector.wakeup();
    }
  }

  @Override
  protected void wake() {
    selector.wakeup();
  }

  @Override
  protected void stopWakeFailed(IOException e) {
    log.warn("could not wake the loop to stop it: {}", e.getMessage());
  }

  /**
   * Arms the sources on the calling thread and runs until {@link #stop()}; on return every source
   * is stopped and closed, and so is the selector.
   */
  @Override
  public void run() throws IOException {
    enter();
    try {
      for (NioSource source : sources) {
        source.arm(this);
      }
    } catch (IOException | RuntimeException e) {
      markFailed(e);
      for (NioSource source : sources) {
        source.stop();
      }
      closeAll();
      throw e;
    }
    markStarted();
    long nextTick = System.nanoTime() + tickNanos;
    try {
      while (!stopRequested()) {
        select(nextTick - System.nanoTime());
        long start = System.nanoTime();
        // Commands first: what they send or free (TUN writes, TX slots) is then handled by the
        // sources in this same iteration.
        runCommands();
        for (int i = 0; i < sources.size(); i++) {
          sources.get(i).afterSelect();
        }
        long now = System.nanoTime();
        if (now - nextTick >= 0) {
          nextTick = now + tickNanos;
          tick(now);
        }
        long spent = System.nanoTime() - start;
        iterationTook(spent);
      }
      runCommands();
    } finally {
      for (NioSource source : sources) {
        source.stop();
      }
      closeAll();
    }
  }

  /** Selects without sleeping while work is waiting, else sleeps until ready or the next tick. */
  private void select(long untilTickNanos) throws IOException {
    if (untilTickNanos <= 0 || commandsWaiting() || sourcesHaveWork()) {
      selector.selectNow(onReady);
      return;
    }
    selecting = true;
    try {
      if (stopRequested() || commandsWaiting() || sourcesHaveWork()) {
        selector.selectNow(onReady);
      } else {
        // Rounded up: waking a little after the tick is fine, spinning just before it is not.
        selector.select(onReady, Math.max(1, (untilTickNanos + 999_999) / 1_000_000));
      }
    } finally {
      selecting = false;
    }
  }

  private boolean sourcesHaveWork() {
    for (int i = 0; i < sources.size(); i++) {
      if (sources.get(i).hasWork()) {
        return true;
      }
    }
    return false;
  }

  private static void ready(SelectionKey key) {
    ((ReadinessHandler) key.attachment()).ready(key);
  }

  /** No ring: every ring figure is zero; the longest iteration is the loop's own. */
  @Override
  protected RingFigures ringFigures(long maxIterationNanos) {
    return new RingFigures(0, 0, 0, 0, 0, 0, 0, 0, maxIterationNanos);
  }

  private void closeAll() {
    for (NioSource source : sources) {
      source.close();
    }
    try {
      selector.close();
    } catch (IOException e) {
      log.warn("closing the selector failed: {}", e.getMessage());
    }
  }
}
