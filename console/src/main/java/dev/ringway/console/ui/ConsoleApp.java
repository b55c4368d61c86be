package dev.ringway.console.ui;

import dev.ringway.console.link.Profile;
import dev.ringway.console.link.ProfileStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * The console as a JavaFX application. With no argument it asks for a server; with one address
 * (host:port or a JMX URL) it connects at once without a login, and the banner says so if the
 * server wants one. With {@code --fleet} (every saved profile) or several addresses it opens the
 * fleet view instead.
 */
public final class ConsoleApp extends Application {
  /** The argument that opens the fleet view with every saved profile. */
  public static final String FLEET = "--fleet";

  private ConsoleView view;
  private FleetView fleet;

  @Override
  public void start(Stage stage) {
    List<String> args = getParameters().getUnnamed();
    if (args.contains(FLEET) || args.size() > 1) {
      List<Profile> profiles;
      try {
        profiles = fleetProfiles(args, new ProfileStore(ProfileStore.defaultFile()).load());
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + ProfileStore.defaultFile(), e);
      }
      fleet = new FleetView(profiles, profile -> openDashboard(profile));
      stage.setTitle("Ringway fleet (" + profiles.size() + " servers)");
      stage.setScene(new Scene(fleet, 1400, 520));
      stage.setOnHidden(e -> Platform.exit());
      stage.show();
      return;
    }
    view = new ConsoleView();
    stage.setTitle("Ringway console");
    stage.setScene(new Scene(view, 1280, 860));
    stage.show();
    if (!args.isEmpty()) {
      view.fill(Profile.of(args.getFirst()));
      view.connect();
      view.focusLogin();
    }
  }

  /**
   * The servers the fleet view watches: every saved profile for {@code --fleet}, and each address
   * given, with the login of a saved profile for the same address when there is one.
   *
   * @throws IllegalArgumentException when {@code --fleet} finds no saved profile and no address is
   *     given
   */
  public static List<Profile> fleetProfiles(List<String> args, List<Profile> saved) {
    List<Profile> profiles = new ArrayList<>();
    if (args.contains(FLEET)) {
      profiles.addAll(saved);
    }
    for (String arg : args) {
      if (arg.equals(FLEET)) {
        continue;
      }
      Profile known =
          saved.stream().filter(p -> p.address().equals(arg)).findFirst().orElse(Profile.of(arg));
      if (!profiles.contains(known)) {
        profiles.add(known);
      }
    }
    if (profiles.isEmpty()) {
      throw new IllegalArgumentException(
          "no servers for the fleet view: no saved profiles in "
              + ProfileStore.defaultFile()
              + " (save one with the console's Save profile) and no host:port given");
    }
    return profiles;
  }

  /** One server's own console window, connected at once; closing it ends its link. */
  static Stage openDashboard(Profile profile) {
    ConsoleView single = new ConsoleView();
    Stage stage = new Stage();
    stage.setTitle("Ringway console — " + profile.name());
    stage.setScene(new Scene(single, 1280, 860));
    stage.setOnHidden(e -> single.shutdown());
    stage.show();
    single.fill(profile);
    single.connect();
    return stage;
  }

  @Override
  public void stop() {
    if (view != null) {
      view.shutdown();
    }
    if (fleet != null) {
      fleet.shutdown();
    }
  }
}
