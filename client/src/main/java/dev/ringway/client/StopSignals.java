package dev.ringway.client;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a clean stop: the client says Goodbye and stops its loop, {@link
 * TunnelClient#run()} returns, and the process exits with the command's exit code (0) through
 * {@link System#exit}, so the JVM's own shutdown work (a JFR recording's dump among it) completes.
 * A shutdown hook could not do that: a JVM shutting down on a signal cannot be given another status
 * except by halting, and a halt cut short the hooks running beside it (a recording was left empty).
 * A stop that has not finished within {@value #FINISH_WAIT_MILLIS} ms halts with the runtime
 * failure code instead.
 */
final class StopSignals {
  private static final long FINISH_WAIT_MILLIS = 1_700;

  private final CountDownLatch finished = new CountDownLatch(1);
  private TunnelClient client;
  private boolean stopRequested;
  private Thread watchdog;

  private StopSignals() {}

  /**
   * Handles SIGTERM and SIGINT from now on; a signal that arrives before {@link #started} is
   * carried out as soon as the client exists.
   */
  static StopSignals install() {
    StopSignals signals = new StopSignals();
    Signal.handle(new Signal("TERM"), signal -> signals.stop());
    Signal.handle(new Signal("INT"), signal -> signals.stop());
    return signals;
  }

  /** The client that signals now stop. */
  synchronized void started(TunnelClient started) {
    client = started;
    if (stopRequested) {
      stopNow();
    }
  }

  /** The client's run has returned: the process now exits by itself. */
  void finished() {
    finished.countDown();
  }

  private synchronized void stop() {
    if (client == null) {
      stopRequested = true;
    } else if (watchdog == null) {
      stopNow();
    }
  }

  private void stopNow() {
    client.stop();
    watchdog =
        Thread.ofPlatform()
            .daemon(true)
            .name("ringway-stop-watchdog")
            .start(() -> {
              try {
                if (finished.await(FINISH_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                  return;
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              System.out.flush();
              System.err.flush();
              Runtime.getRuntime().halt(ClientMain.RUNTIME_FAILURE);
            });
  }
}
