package dev.ringway.server;

import dev.ringway.config.Config;
import java.io.PrintWriter;
import sun.misc.Signal;

/** Runs a server until SIGTERM or SIGINT, for the command line. */
public final class ServerLauncher {
  private ServerLauncher() {}

  /**
   * Starts the server on {@code config} and blocks until SIGTERM or SIGINT has stopped it; returns
   * the process exit code (0 after a signal, 1 when it could not start).
   */
  public static int run(Config config, PrintWriter err) throws InterruptedException {
    Server server;
    try {
      server = Server.start(config);
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
    server.awaitTermination();
    stopper.join(2000);
    return 0;
  }

  private static synchronized void startOnce(Thread stopper) {
    if (stopper.getState() == Thread.State.NEW) {
      stopper.start();
    }
  }
}
