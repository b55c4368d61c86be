package dev.ringway.console.ui;

import dev.ringway.console.link.ApplyOutcome;
import dev.ringway.console.link.LinkState;
import dev.ringway.console.link.LiveTunables;
import dev.ringway.console.link.Profile;
import dev.ringway.console.link.ProfileStore;
import dev.ringway.console.link.Rates;
import dev.ringway.console.link.Sample;
import dev.ringway.console.link.ServerEvent;
import dev.ringway.console.link.ServerLink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * The console's window content: the connect bar, the state banner and the four tabs. It owns the
 * {@link ServerLink}, forwards what the link reports to the JavaFX thread, and runs every call to
 * the server on a worker thread so the UI never waits on the network.
 */
public final class ConsoleView extends BorderPane {
  private static final java.time.Duration CONNECTIONS_EVERY = java.time.Duration.ofSeconds(2);

  private final TextField address = new TextField();
  private final TextField user = new TextField();
  private final PasswordField password = new PasswordField();
  private final CheckBox tls = new CheckBox("TLS");
  private final TextField trustStore = new TextField();
  private final PasswordField trustStorePassword = new PasswordField();
  private final Button connect = new Button("Connect");
  private final ChoiceBox<Profile> profiles = new ChoiceBox<>();
  private final CheckBox rememberPassword = new CheckBox("remember password");
  private final Button saveProfile = new Button("Save profile");
  private final ProfileStore store;
  private final Label banner = new Label("not connected");
  private final AlertBadge alerts = new AlertBadge();
  private final Dashboard dashboard;
  private final TuningPane tuning;
  private final ConnectionsPane connections;
  private final EventsPane events = new EventsPane();
  private final ExecutorService calls =
      Executors.newSingleThreadExecutor(
          r -> Thread.ofPlatform().daemon().name("ringway-console-calls").unstarted(r));
  private ServerLink link;
  private LinkState.Connected connected;
  private long connectionsReadAt = System.nanoTime() - CONNECTIONS_EVERY.toNanos();

  /** The start time of the server run the newest sample came from; 0 before the first. */
  private long lastStartTime;

  /** A console keeping its profiles in {@link ProfileStore#defaultFile()}. */
  public ConsoleView() {
    this(new ProfileStore(ProfileStore.defaultFile()), SaveDialog.fileChooser());
  }

  ConsoleView(ProfileStore store, SaveDialog saveDialog) {
    this.store = store;
    dashboard = new Dashboard(saveDialog);
    tuning = new TuningPane(this::apply);
    connections = new ConnectionsPane(this::disconnect);
    address.setId("address");
    address.setPromptText("host:port or service:jmx:…");
    address.setPrefColumnCount(22);
    user.setId("user");
    user.setPromptText("user");
    user.setPrefColumnCount(8);
    password.setId("password");
    password.setPromptText("password");
    password.setPrefColumnCount(8);
    tls.setId("tls");
    trustStore.setPromptText("trust store (.p12/.jks), empty: system trust");
    trustStore.setPrefColumnCount(14);
    trustStore.visibleProperty().bind(tls.selectedProperty());
    trustStore.managedProperty().bind(tls.selectedProperty());
    trustStorePassword.setPromptText("trust store password");
    trustStorePassword.setPrefColumnCount(8);
    trustStorePassword.visibleProperty().bind(tls.selectedProperty());
    trustStorePassword.managedProperty().bind(tls.selectedProperty());
    connect.setId("connect");
    connect.setDefaultButton(true);
    connect.setOnAction(e -> toggleConnection());
    address.setOnAction(e -> toggleConnection());
    banner.setId("banner");
    banner.setMaxWidth(Double.MAX_VALUE);
    banner.setWrapText(true);
    showBanner(new LinkState.Closed());

    profiles.setId("profiles");
    profiles.setConverter(
        new StringConverter<>() {
          @Override
          public String toString(Profile profile) {
            return profile == null ? "" : profile.name();
          }

          @Override
          public Profile fromString(String name) {
            return null;
          }
        });
    profiles
        .valueProperty()
        .addListener((o, was, now) -> {
          if (now != null) {
            fill(now);
          }
        });
    saveProfile.setOnAction(e -> saveProfile());
    loadProfiles();
    HBox bar =
        new HBox(
            6,
            profiles,
            new Label("Server"),
            address,
            user,
            password,
            tls,
            trustStore,
            trustStorePassword,
            connect,
            saveProfile,
            rememberPassword);
    bar.setStyle("-fx-padding: 6; -fx-alignment: center-left;");
    setTop(new VBox(bar, banner, alerts));

    TabPane tabs = new TabPane();
    tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
    tabs.getTabs()
        .addAll(
            new Tab("Dashboard", dashboard),
            new Tab("Tuning", new javafx.scene.control.ScrollPane(tuning)),
            new Tab("Connections", connections),
            new Tab("Events", events));
    setCenter(tabs);
  }

  /** Fills the connect bar from {@code profile}. */
  public void fill(Profile profile) {
    address.setText(profile.address());
    user.setText(profile.user() == null ? "" : profile.user());
    password.setText(profile.password() == null ? "" : profile.password());
    tls.setSelected(profile.tls());
    trustStore.setText(profile.trustStore() == null ? "" : profile.trustStore().toString());
    trustStorePassword.setText(
        profile.trustStorePassword() == null ? "" : profile.trustStorePassword());
  }

  private Profile typed() {
    String name =
        user.getText().isBlank()
            ? address.getText().strip()
            : user.getText().strip() + "@" + address.getText().strip();
    return new Profile(
        name,
        address.getText().strip(),
        user.getText().isBlank() ? null : user.getText().strip(),
        password.getText(),
        tls.isSelected(),
        trustStore.getText().isBlank() ? null : Path.of(trustStore.getText().strip()),
        trustStorePassword.getText().isEmpty() ? null : trustStorePassword.getText());
  }

  private void loadProfiles() {
    try {
      profiles.getItems().setAll(store.load());
    } catch (IOException | RuntimeException e) {
      events.add(ServerEvent.console("could not read the saved profiles: " + e.getMessage()));
    }
    profiles.setVisible(!profiles.getItems().isEmpty());
    profiles.setManaged(profiles.isVisible());
  }

  private void saveProfile() {
    try {
      store.save(typed(), rememberPassword.isSelected());
      loadProfiles();
    } catch (IOException | RuntimeException e) {
      events.add(ServerEvent.console("could not save the profile: " + e.getMessage()));
    }
  }

  /** Connects with what the connect bar says, replacing any current link. */
  public void connect() {
    disconnectLink();
    Profile profile = typed();
    connect.setText("Disconnect");
    OnFxThread listener = new OnFxThread();
    link = ServerLink.open(profile, listener);
    listener.mine = link;
  }

  private void toggleConnection() {
    if (link != null && !(link.state() instanceof LinkState.Failed)) {
      disconnectLink();
    } else {
      connect();
    }
  }

  private void disconnectLink() {
    if (link != null) {
      ServerLink closing = link;
      link = null;
      connected = null;
      calls.execute(closing::close);
    }
    connect.setText("Connect");
    showBanner(new LinkState.Closed());
  }

  /** Closes the link and the worker; the window is going away. */
  public void shutdown() {
    disconnectLink();
    calls.shutdown();
  }

  Dashboard dashboard() {
    return dashboard;
  }

  EventsPane events() {
    return events;
  }

  AlertBadge alerts() {
    return alerts;
  }

  private void showBanner(LinkState state) {
    banner.setText(state.describe());
    String color =
        switch (state) {
          case LinkState.Connected c -> "#d7f0d8";
          case LinkState.Connecting c -> "#e3ecf8";
          case LinkState.Reconnecting r -> "#fff2c2";
          case LinkState.Failed f -> "#f8d3d3";
          case LinkState.Closed c -> "#e8e8e8";
        };
    banner.setStyle("-fx-padding: 4 8; -fx-background-color: " + color + ";");
  }

  /** Relays the link's reports to the JavaFX thread, dropping those of a link already replaced. */
  private final class OnFxThread implements ServerLink.Listener {
    private ServerLink mine;

    /** Whether this listener's link is still the console's; a replaced link's news is stale. */
    private boolean current() {
      return mine != null && mine == link;
    }

    @Override
    public void stateChanged(LinkState state) {
      Platform.runLater(() -> {
        if (!current() || state instanceof LinkState.Closed) {
          return;
        }
        showBanner(state);
        if (state instanceof LinkState.Connected now) {
          // The link reports the server's active alerts right after this state.
          alerts.clear();
          connected = now;
          connections.setMayChange(now.role().mayChange(), now.roleReason());
          reloadTunables();
        } else if (state instanceof LinkState.Failed failed) {
          connect.setText("Connect");
          if (failed.cause().startsWith("login refused")) {
            askForLogin();
          }
        }
      });
    }

    @Override
    public void sampled(Sample sample, Rates rates) {
      Platform.runLater(() -> {
        if (!current()) {
          return;
        }
        if (rates != null) {
          dashboard.add(rates);
        } else if (lastStartTime != 0 && sample.startTime() != lastStartTime) {
          dashboard.addGap(sample.epochMillis());
        }
        lastStartTime = sample.startTime();
        // Samples replayed from the server's history come in a burst; the table follows the clock.
        long now = System.nanoTime();
        if (now - connectionsReadAt >= CONNECTIONS_EVERY.toNanos()) {
          connectionsReadAt = now;
          refreshConnections();
        }
      });
    }

    @Override
    public void event(ServerEvent event) {
      Platform.runLater(() -> {
        if (!current()) {
          return;
        }
        events.add(event);
        alerts.add(event);
        if (event.type().equals("jmx.attribute.change")) {
          reloadTunables();
        }
      });
    }
  }

  /**
   * After a refused login (e.g. {@code ./ringway console URL}, which connects without one), says
   * what to do in the banner and puts the cursor where the operator types next.
   */
  private void askForLogin() {
    banner.setText(banner.getText() + " — type the user and password above and press Connect");
    if (!user.isFocused() && !password.isFocused()) {
      focusLogin(); // but never pull the cursor away from a login being typed
    }
  }

  /**
   * Puts the cursor in the user field, or the password field once a user is there: where the
   * operator types next when the address is given (and not, by default, over the address).
   */
  public void focusLogin() {
    TextField next = user.getText().isBlank() ? user : password;
    next.requestFocus();
    next.selectAll();
  }

  private void reloadTunables() {
    ServerLink current = link;
    LinkState.Connected as = connected;
    if (current == null || as == null) {
      return;
    }
    calls.execute(() -> {
      try {
        LiveTunables live = current.tunables();
        Platform.runLater(() -> tuning.showApplied(live, as.role().mayChange(), as.roleReason()));
      } catch (IOException e) {
        Platform.runLater(() ->
            events.add(ServerEvent.console("could not read the tunables: " + e.getMessage())));
      }
    });
  }

  private void refreshConnections() {
    ServerLink current = link;
    if (current == null || connected == null) {
      return;
    }
    calls.execute(() -> {
      try {
        List<dev.ringway.console.link.ConnectionInfo> rows = current.connections();
        Platform.runLater(() -> connections.show(rows));
      } catch (IOException | RuntimeException e) {
        Platform.runLater(() -> connections.say("could not list: " + e.getMessage()));
      }
    });
  }

  private void apply(Map<String, String> changes, Consumer<ApplyOutcome> answer) {
    ServerLink current = link;
    if (current == null) {
      answer.accept(new ApplyOutcome.Refused("not connected"));
      return;
    }
    calls.execute(() -> {
      ApplyOutcome outcome;
      try {
        outcome = current.apply(changes);
      } catch (IOException e) {
        outcome = new ApplyOutcome.Refused("not sent, the link failed: " + e.getMessage());
      }
      ApplyOutcome result = outcome;
      Platform.runLater(() -> {
        answer.accept(result);
        if (result instanceof ApplyOutcome.Applied) {
          reloadTunables();
        }
      });
    });
  }

  private void disconnect(String session) {
    ServerLink current = link;
    if (current == null) {
      return;
    }
    calls.execute(() -> {
      String message;
      try {
        message =
            current.disconnect(session) ? "disconnected " + session : session + " was gone already";
      } catch (IOException | SecurityException e) {
        message = "could not disconnect " + session + ": " + e.getMessage();
      }
      String said = message;
      Platform.runLater(() -> {
        connections.say(said);
        refreshConnections();
      });
    });
  }
}
