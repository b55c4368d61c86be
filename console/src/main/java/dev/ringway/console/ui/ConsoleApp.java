package dev.ringway.console.ui;

import dev.ringway.console.link.Profile;
import java.util.List;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * The console as a JavaFX application. Its one optional argument is the server's address (host:port
 * or a JMX URL); given one, the console connects at once without a login, and the banner says so if
 * the server wants one.
 */
public final class ConsoleApp extends Application {
  private ConsoleView view;

  @Override
  public void start(Stage stage) {
    view = new ConsoleView();
    List<String> args = getParameters().getUnnamed();
    stage.setTitle("Ringway console");
    stage.setScene(new Scene(view, 1280, 860));
    stage.show();
    if (!args.isEmpty()) {
      view.fill(Profile.of(args.getFirst()));
      view.connect();
      view.focusLogin();
    }
  }

  @Override
  public void stop() {
    if (view != null) {
      view.shutdown();
    }
  }
}
