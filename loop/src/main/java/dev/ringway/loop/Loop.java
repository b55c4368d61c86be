package dev.ringway.loop;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The loop as the server's protocol code sees it, whichever engine drives it (one io_uring ring, or
 * one {@code java.nio} selector). Both own every buffer, connection and counter on one thread, take
 * commands from other threads through {@link #call}, run one tick listener and publish one {@link
 * LoopSnapshot} per stats interval, so that the connection code and JMX run unchanged on either.
 */
public interface Loop {
  /** The engine's name as {@code io.engine} spells it: {@code uring} or {@code nio}. */
  String engine();

  /**
   * Runs {@code command} on the loop at its next safe point and completes the future with its
   * result or exception. Safe from any thread.
   */
  <T> CompletableFuture<T> call(Callable<T> command);

  /** Runs {@code listener} on the loop at every tick with the current {@link System#nanoTime()}. */
  void onTick(LongConsumer listener);

  /** Runs {@code listener} on the loop with each new snapshot. */
  void onSnapshot(Consumer<LoopSnapshot> listener);

  /** The live counters of {@code path}; only for the loop thread. */
  PathCounters counters(PathName path);

  /** The latest snapshot; safe from any thread. */
  LoopSnapshot snapshot();

  /** Completes when the loop has set up and armed its sources, or failed to. */
  CompletableFuture<Void> started();

  /** The loop's thread once running, for CPU accounting. */
  Thread thread();

  /** Whether the calling thread is the loop's. */
  boolean inLoop();

  /** Asks the loop to finish what the kernel holds and return from {@link #run()}. */
  void stop();

  /** Runs the loop on the calling thread until {@link #stop()}. */
  void run() throws IOException;
}
