package dev.ringway.core.conn;

import java.time.Duration;

/**
 * The clocks of a connection (digest §3.5): a server closes connections not online within {@code
 * stale} and online ones silent for {@code idle}; a client gives up connecting after {@code stale}
 * too, pings every {@code keepaliveInterval} once online and gives up after {@code
 * keepaliveTimeout} without a Pong.
 */
public record ConnectionTimeouts(
    Duration stale, Duration idle, Duration keepaliveInterval, Duration keepaliveTimeout) {

  /** Lightway's values: 60 s, 24 h, 10 s, 60 s. */
  public static ConnectionTimeouts defaults() {
    return new ConnectionTimeouts(
        Duration.ofSeconds(60),
        Duration.ofHours(24),
        Duration.ofSeconds(10),
        Duration.ofSeconds(60));
  }
}
