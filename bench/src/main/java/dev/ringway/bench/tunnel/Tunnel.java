package dev.ringway.bench.tunnel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One way of carrying the client's traffic to the upstream network: set up between the client and
 * server namespaces, measured, then closed (its processes stopped, its devices and route removed).
 */
sealed interface Tunnel extends AutoCloseable
    permits RingwayTunnel, OpenVpnTunnel, WireGuardTunnel, PlainRouting {

  /**
   * Brings the tunnel up in {@code dir} (keys, configurations, logs) and routes the client's
   * upstream network through it; returns once a ping from the client reaches upstream.
   *
   * @throws MeasurementException saying why the tunnel did not come up
   */
  void establish(BenchNetwork network, Path dir);

  /** The process that terminates the tunnel in the server's namespace, if the tunnel has one. */
  Optional<Child> serverProcess();

  /** The tunnel's process in the client's namespace, if it has one. */
  Optional<Child> clientProcess();

  @Override
  void close();

  /**
   * Polls {@code done} every 100 ms until it holds, or fails naming {@code what} after {@code
   * limit}.
   */
  static void await(String what, Duration limit, BooleanSupplier done) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new MeasurementException(
            "timed out after " + limit.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MeasurementException("interrupted while waiting for " + what, e);
      }
    }
  }

  /** Waits until the client's pings reach upstream through the tunnel just set up. */
  static void awaitUpstream(BenchNetwork network, String tunnel) {
    await(
        "a ping through " + tunnel + " to reach upstream",
        Duration.ofSeconds(20),
        network::upstreamAnswers);
  }
}
