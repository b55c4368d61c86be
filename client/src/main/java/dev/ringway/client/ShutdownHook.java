package dev.ringway.client;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM and SIGINT into a clean stop: the JVM runs this hook, which asks the client to say
 * Goodbye and stop its loop, waits for {@link TunnelClient#run()} to return, and ends the process
 * with the command's exit code (0) instead of the 143 or 130 a signal would leave. It halts rather
 * than returns because a JVM that is shutting down on a signal cannot be given another status.
 */
final class ShutdownHook {
  private static final long FINISH_WAIT_MILLIS = 1_700;

  private final TunnelClient client;
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread thread;
  private volatile int exitCode;

  private ShutdownHook(TunnelClient client) {
    this.client = client;
    this.thread = Thread.ofPlatform().name("ringway-shutdown").unstarted(this::onShutdown);
  }

  /** Registers a hook that stops {@code client} when the JVM is asked to shut down. */
  static ShutdownHook install(TunnelClient client) {
    ShutdownHook hook = new ShutdownHook(client);
    Runtime.getRuntime().addShutdownHook(hook.thread);
    return hook;
  }

  /** The client's run has returned with {@code code}; a shutdown in progress may now end. */
  void finished(int code) {
    exitCode = code;
    finished.countDown();
  }

  private void onShutdown() {
    if (finished.getCount() == 0) {
      return; // the command ended by itself and is exiting with its own code
    }
    client.stop();
    boolean done;
    try {
      done = finished.await(FINISH_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      done = false;
    }
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(done ? exitCode : ClientMain.RUNTIME_FAILURE);
  }
}
