package dev.ringway.loop;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * What every {@link Loop} is, whichever engine drives it, written once: the owner thread, the
 * command queue other threads reach it through, the tick and snapshot listeners, the path counters
 * and the snapshot. An engine's loop adds how it waits (a ring, a selector), wakes itself ({@link
 * #wake}) and what its ring figures are ({@link #ringFigures}).
 */
public abstract class LoopCore implements Loop {
  private final long statsNanos;
  private final PathCounters[] counters = new PathCounters[PathName.values().length];
  private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final CompletableFuture<Void> started = new CompletableFuture<>();

  private volatile LoopSnapshot snapshot;
  private volatile boolean stopRequested;
  private volatile Thread thread;
  private LongConsumer tickListener = now -> {};
  private Consumer<LoopSnapshot> snapshotListener = s -> {};
  private long nextStatsNanos;
  private long maxIterationNanos;

  /** A loop that takes a {@link LoopSnapshot} every {@code statsNanos}. */
  protected LoopCore(long statsNanos) {
    this.statsNanos = statsNanos;
    for (PathName path : PathName.values()) {
      counters[path.ordinal()] = new PathCounters(path);
    }
  }

  @Override
  public final void onTick(LongConsumer listener) {
    this.tickListener = listener;
  }

  @Override
  public final void onSnapshot(Consumer<LoopSnapshot> listener) {
    this.snapshotListener = listener;
  }

  @Override
  public final PathCounters counters(PathName path) {
    return counters[path.ordinal()];
  }

  @Override
  public final LoopSnapshot snapshot() {
    return snapshot;
  }

  @Override
  public final CompletableFuture<Void> started() {
    return started;
  }

  @Override
  public final Thread thread() {
    return thread;
  }

  @Override
  public final boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  @Override
  public final <T> CompletableFuture<T> call(Callable<T> command) {
    CompletableFuture<T> result = new CompletableFuture<>();
    commands.add(() -> {
      try {
        result.complete(command.call());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    try {
      wake();
    } catch (IOException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  @Override
  public final void stop() {
    stopRequested = true;
    try {
      wake();
    } catch (IOException e) {
      stopWakeFailed(e);
    }
  }

  /** Wakes the loop if it waits, so that it runs queued commands or sees a stop. Any thread. */
  protected abstract void wake() throws IOException;

  /** {@link #stop} could not wake the loop. */
  protected abstract void stopWakeFailed(IOException e);

  /** The ring's figures for a snapshot now (zero where there is no ring). */
  protected abstract RingFigures ringFigures(long maxIterationNanos);

  /** Publishes the all-zero snapshot; the last thing an engine's constructor does. */
  protected final void publishFirstSnapshot() {
    snapshot = takeSnapshot(System.nanoTime());
  }

  /** Whether {@link #stop} was asked for. */
  protected final boolean stopRequested() {
    return stopRequested;
  }

  /** Whether commands wait to run; for a loop that must not sleep while they do. */
  protected final boolean commandsWaiting() {
    return !commands.isEmpty();
  }

  /** The calling thread owns the loop from now on; at the top of {@link #run}. */
  protected final void enter() {
    thread = Thread.currentThread();
  }

  /** The sources are armed: callers of {@link #started} go on, and the stats clock starts. */
  protected final void markStarted() {
    nextStatsNanos = System.nanoTime() + statsNanos;
    started.complete(null);
  }

  /** The loop could not start. */
  protected final void markFailed(Throwable cause) {
    started.completeExceptionally(cause);
  }

  /** Runs every queued command; on the loop thread, never inside a completion batch's walk. */
  protected final void runCommands() {
    Runnable command;
    while ((command = commands.poll()) != null) {
      command.run();
    }
  }

  /** One tick: the listener runs, and a snapshot is taken and published when one is due. */
  protected final void tick(long now) {
    tickListener.accept(now);
    if (now - nextStatsNanos >= 0) {
      nextStatsNanos = now + statsNanos;
      LoopSnapshot taken = takeSnapshot(now);
      snapshot = taken;
      snapshotListener.accept(taken);
    }
  }

  /** One iteration spent {@code nanos} working (not waiting); the longest is in the snapshot. */
  protected final void iterationTook(long nanos) {
    if (nanos > maxIterationNanos) {
      maxIterationNanos = nanos;
    }
  }

  private LoopSnapshot takeSnapshot(long now) {
    List<PathStats> paths = new ArrayList<>(counters.length);
    for (PathCounters pathCounters : counters) {
      paths.add(pathCounters.snapshot());
    }
    return new LoopSnapshot(now, System.currentTimeMillis(), ringFigures(maxIterationNanos), paths);
  }
}
