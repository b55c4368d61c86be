package dev.ringway.server;

import dev.ringway.config.Config;
import dev.ringway.config.ConfigOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
   * the process exit code (0 after a signal, 1 when it could not start or its loop ended without
   * being asked to, so that a service manager's {@code Restart=on-failure} starts it again).
   */
  public static int run(Config config, Supplier<ConfigOutcome> reloadSource, PrintWriter err)
      throws InterruptedException {
    // Handling the signals ourselves (instead of a shutdown hook) lets a stop requested by the
    // operator end with exit code 0, as service managers expect. The handlers are in place before
    // the server starts: the server is reachable (JMX, its log line) before start returns, and a
    // signal that arrived before our handler would take the JVM's default — exit at once.
    Signals signals = new Signals();
    Signal.handle(new Signal("TERM"), signal -> signals.stop());
    Signal.handle(new Signal("INT"), signal -> signals.stop());
    // SIGHUP: read the file again and apply its live changes, off the signal thread.
    Signal.handle(new Signal("HUP"), signal -> signals.reload());
    if (sighupIgnored()) {
      log.warn(
          "SIGHUP was ignored when this process started (e.g. under nohup), so the JVM takes no"
              + " handler for it: SIGHUP will not reload the configuration; use JMX"
              + " Server.reload(), or start the server with SIGHUP at its default");
    }
    Server server;
    try {
      server = Server.start(config, reloadSource);
    } catch (Server.StartupException e) {
      err.println("ringway server: " + e.getMessage());
      err.flush();
      return 1;
    }
    Thread stopper = signals.started(server);
    server.awaitTermination();
    stopper.join(2000);
    return stopper.getState() == Thread.State.NEW ? 1 : 0;
  }

  /**
   * What the signals ask of the server. A stop or reload that arrives while the server is still
   * starting is remembered and carried out as soon as it is up.
   */
  private static final class Signals {
    private Server server;
    private Thread stopper;
    private boolean stopRequested;
    private boolean reloadRequested;

    synchronized void stop() {
      if (server == null) {
        stopRequested = true;
      } else if (stopper.getState() == Thread.State.NEW) {
        stopper.start();
      }
    }

    synchronized void reload() {
      if (server == null) {
        reloadRequested = true;
        return;
      }
      Server running = server;
      Thread.ofPlatform().name("ringway-reload").start(() -> ServerLauncher.reload(running));
    }

    /** The server is up: from now on signals act on it at once; returns the stopping thread. */
    synchronized Thread started(Server started) {
      server = started;
      stopper = Thread.ofPlatform().name("ringway-stop").unstarted(started::stop);
      if (reloadRequested) {
        log.info("SIGHUP arrived while starting: reloading now");
        reload();
      }
      if (stopRequested) {
        stop();
      }
      return stopper;
    }
  }

  /**
   * Whether SIGHUP was ignored when the process started: bit 0 of {@code SigIgn} in {@code
   * /proc/self/status}. HotSpot leaves an ignored SIGHUP ignored, handler or not.
   */
  private static boolean sighupIgnored() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("SigIgn:")) {
          return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16) & 1) != 0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      log.debug("cannot tell whether SIGHUP is ignored: {}", e.toString());
    }
    return false;
  }

  private static void reload(Server server) {
    try {
      log.info("SIGHUP: reload: {}", server.reload());
    } catch (RuntimeException e) {
      log.error("SIGHUP: reload refused: {}", e.getMessage());
    }
  }
}
