package dev.ringway.console;

import dev.ringway.console.ui.ConsoleApp;
import javafx.application.Application;

/**
 * {@code ./ringway console [JMX-URL]}. A main class that is not itself an {@link Application}, so
 * that JavaFX runs from the class path: the JavaFX launcher refuses an {@code Application} main
 * class whose JavaFX modules are not on the module path.
 */
public final class ConsoleMain {
  private ConsoleMain() {}

  public static void main(String[] args) {
    if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
      System.err.println("usage: ringway console [host:port | service:jmx:URL]");
      System.exit(2);
    }
    Application.launch(ConsoleApp.class, args);
  }
}
