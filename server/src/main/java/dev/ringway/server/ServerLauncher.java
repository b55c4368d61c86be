package dev.ringway.server;

import dev.ringway.config.Config;
import dev.ringway.config.ConfigOutcome;
import java.io.PrintWriter;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Runs a server until SIGTERM or SIGINT, for the command line. */
public final class ServerLauncher {
  private static final Logger log = LoggerFactory.getLogger(ServerLauncher.class);

  private ServerLauncher() {}

  /**
   * Starts the server on {@code config} and blocks until SIGTERM or SIGINT has stopped it; returns
   * the process exit code (0 after a signal, 1 when it could not start).
   */
  public static int run(Config config, Supplier<ConfigOutcome> reloadSource, PrintWriter err)
      throws InterruptedException {
    Server server;
    try {
      server = Server.start(config, reloadSource);
    } catch (Server.StartupException e) {
      err.println("ringway server: " + e.getMessage());
      err.flush();
      return 1;
    }
    // Handling the signals ourselves (instead of a shutdown hook) lets a stop requested by the
    // operator end with exit code 0, as service managers expect.
    Thread stopper = Thread.ofPlatform().name("ringway-stop").unstarted(server::stop);
    Signal.handle(new Signal("TERM"), signal -> startOnce(stopper));
    Signal.handle(new Signal("INT"), signal -> startOnce(stopper));
    // SIGHUP: read the file again and apply its live changes, off the signal thread.
    Signal.handle(
        new Signal("HUP"),
        signal -> Thread.ofPlatform().name("ringway-reload").start(() -> reload(server)));
    server.awaitTermination();
    stopper.join(2000);
    return 0;
  }

  private static void reload(Server server) {
    try {
      log.info("SIGHUP: reload: {}", server.reload());
    } catch (RuntimeException e) {
      log.error("SIGHUP: reload refused: {}", e.getMessage());
    }
  }

  private static synchronized void startOnce(Thread stopper) {
    if (stopper.getState() == Thread.State.NEW) {
      stopper.start();
    }
  }
}
