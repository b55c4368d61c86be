package dev.ringway.server;

import dev.ringway.config.Config;
import dev.ringway.loop.Engine;
import dev.ringway.loop.IoSettings;
import dev.ringway.loop.nio.NioEngine;
import dev.ringway.loop.uring.MissingCapability;
import dev.ringway.loop.uring.UringEngine;
import dev.ringway.uring.LinuxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place the server names an engine: {@code io.engine} to an {@link Engine}, and the
 * configuration to the {@link IoSettings} it is opened with.
 */
public final class Engines {
  private static final Logger log = LoggerFactory.getLogger(Engines.class);

  private Engines() {}

  /**
   * The engine {@code io.engine} names; for {@code auto} io_uring when this process may set up a
   * ring (tried once), else nio with a warning naming the cause and what to change.
   */
  public static Engine choose(Config config) {
    return switch (config.io().engine()) {
      case URING -> new UringEngine();
      case NIO -> new NioEngine();
      default -> {
        LinuxException unavailable = UringEngine.unavailable(settings(config, 0));
        if (unavailable == null) {
          yield new UringEngine();
        }
        log.warn(
            "io.engine auto: io_uring is unavailable ({}), running on the nio engine instead."
                + " To run on io_uring: {}",
            unavailable.errnoName(),
            MissingCapability.ring(unavailable));
        yield new NioEngine();
      }
    };
  }

  /**
   * The {@code io.*} settings every engine is opened with; the loop ticks every {@code tickNanos}.
   */
  public static IoSettings settings(Config config, long tickNanos) {
    Config.Io io = config.io();
    return new IoSettings(
        io.ring().entries(),
        io.ring().cqEntries(),
        (int) io.ring().sqpollIdle().toMillis(),
        io.tun().rxSlots(),
        io.tun().blocking(),
        io.tx().slots(),
        io.udp().rxSlots(),
        io.udp().socketBuffer(),
        io.tcp().socketBuffer(),
        io.tcp().maxConnections(),
        tickNanos,
        config.stats().interval().toNanos());
  }
}
