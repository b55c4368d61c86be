package dev.ringway.console;

import dev.ringway.console.link.ProfileStore;
import dev.ringway.console.ui.ConsoleApp;
import javafx.application.Application;

/**
 * {@code ./ringway console [JMX-URL]}. A main class that is not itself an {@link Application}, so
 * that JavaFX runs from the class path: the JavaFX launcher refuses an {@code Application} main
 * class whose JavaFX modules are not on the module path.
 */
public final class ConsoleMain {
  private static final String USAGE =
      """
      usage: ringway console [host:port | service:jmx:URL]
             ringway console --fleet [host:port ...]
             ringway console host:port host:port ...
        The operator console: a window (JavaFX) that talks to a running server over JMX.
        With an address it connects at once; if the server wants a login, type the user and
        password in the window and press Connect. With --fleet (every profile saved in
        ~/.config/ringway/console.yaml) or several addresses it opens the fleet view: every
        server in one table, a tuning change applied to a selection of them. An address given
        uses the login of a saved profile with that address. Needs a display (DISPLAY) and GTK 3.\
      """;

  private ConsoleMain() {}

  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
      System.out.println(USAGE);
      return;
    }
    if (java.util.Arrays.stream(args).anyMatch(a -> a.startsWith("-") && !a.equals("--fleet"))) {
      System.err.println(USAGE);
      System.exit(2);
    }
    if (args.length > 1 || java.util.Arrays.asList(args).contains(ConsoleApp.FLEET)) {
      try {
        ConsoleApp.fleetProfiles(
            java.util.List.of(args), new ProfileStore(ProfileStore.defaultFile()).load());
      } catch (java.io.IOException | RuntimeException e) {
        System.err.println("ringway console: " + e.getMessage());
        System.exit(2);
      }
    }
    try {
      Application.launch(ConsoleApp.class, args);
    } catch (RuntimeException e) {
      // Nearly always no display or no GTK; the cause's own words, without JavaFX's stack.
      System.err.println(
          "ringway console: cannot open the window: "
              + e
              + "\n  It needs an X display (DISPLAY; on a headless machine e.g. `Xvfb :1 &"
              + " export DISPLAY=:1`) and GTK 3 (apt-get install libgtk-3-0).");
      System.exit(1);
    }
  }
}
