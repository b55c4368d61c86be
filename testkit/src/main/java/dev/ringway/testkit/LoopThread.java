package dev.ringway.testkit;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A loop run on its own platform thread for the length of a test: started, waited for until it has
 * armed its sources, and on {@link #close()} stopped and joined, failing the test if it does not
 * end. It takes the loop's verbs rather than the loop (testkit sits below the loop module), e.g.
 * {@code LoopThread.start("test-loop", loop::run, loop.started(), loop::stop)}.
 */
public final class LoopThread implements AutoCloseable {
  private static final long START_SECONDS = 5;
  private static final long STOP_MILLIS = 5000;

  /** The loop's {@code run}: returns when the loop has stopped. */
  @FunctionalInterface
  public interface Body {
    void run() throws Exception;
  }

  private final Thread thread;
  private final Runnable stop;

  private LoopThread(Thread thread, Runnable stop) {
    this.thread = thread;
    this.stop = stop;
  }

  /**
   * Runs {@code body} on a thread named {@code name} and waits (at most 5 s) for {@code started};
   * {@code stop} asks the loop to return from {@code body}.
   */
  public static LoopThread start(String name, Body body, Future<?> started, Runnable stop)
      throws Exception {
    Thread thread =
        Thread.ofPlatform()
            .name(name)
            .start(() -> {
              try {
                body.run();
              } catch (Exception e) {
                throw new IllegalStateException("the loop failed", e);
              }
            });
    LoopThread running = new LoopThread(thread, stop);
    try {
      started.get(START_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      running.close();
      throw e;
    }
    return running;
  }

  /** The loop's thread. */
  public Thread thread() {
    return thread;
  }

  /** Stops the loop and waits for its thread to end. */
  @Override
  public void close() throws InterruptedException {
    stop.run();
    thread.join(STOP_MILLIS);
    if (thread.isAlive()) {
      throw new AssertionError("the loop thread " + thread.getName() + " did not end");
    }
  }
}
