package dev.ringway.console.ui;

import dev.ringway.config.Setting;
import dev.ringway.config.Settings;
import dev.ringway.console.link.Fleet;
import dev.ringway.console.link.FleetOutcome;
import dev.ringway.console.link.FleetRow;
import dev.ringway.console.link.Profile;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Several servers in one table — state with its cause, sessions, outer throughput, process CPU,
 * active alerts, engine, version and the last tuning change's outcome — with a server's own window
 * a double-click (or Open dashboard) away, and one tuning change applied to the selected servers,
 * each all-or-nothing on its own.
 */
public final class FleetView extends BorderPane {
  private final Fleet fleet;
  private final Consumer<Profile> openDashboard;
  private final Map<String, ReadOnlyObjectWrapper<FleetRow>> byName = new HashMap<>();
  private final ObservableList<ReadOnlyObjectWrapper<FleetRow>> items =
      FXCollections.observableArrayList();
  private final TableView<ReadOnlyObjectWrapper<FleetRow>> table = new TableView<>(items);
  private final Button open = new Button("Open dashboard");
  private final ChoiceBox<String> key = new ChoiceBox<>();
  private final TextField value = new TextField();
  private final Button apply = new Button("Apply to selected");
  private final Label result = new Label("select servers, a key and a value");
  private final ExecutorService calls =
      Executors.newSingleThreadExecutor(
          r -> Thread.ofPlatform().daemon().name("ringway-fleet-apply").unstarted(r));
  private boolean sending;

  /**
   * Watches every server in {@code profiles}; {@code openDashboard} opens one server's own console
   * window.
   */
  public FleetView(List<Profile> profiles, Consumer<Profile> openDashboard) {
    this.openDashboard = openDashboard;
    this.fleet = Fleet.open(profiles, row -> Platform.runLater(() -> show(row)));
    for (FleetRow row : fleet.rows()) {
      ReadOnlyObjectWrapper<FleetRow> cell = new ReadOnlyObjectWrapper<>(row);
      byName.put(row.name(), cell);
      items.add(cell);
    }
    table.setId("fleet-table");
    table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table
        .getColumns()
        .addAll(
            List.of(
                column("Server", 120, FleetRow::name),
                column("Address", 140, FleetRow::address),
                column("State", 260, FleetRow::stateText),
                column("Sessions", 70, r -> r.sessions() < 0 ? "–" : String.valueOf(r.sessions())),
                column("In Mbit/s", 80, r -> figure(r.inMegabits())),
                column("Out Mbit/s", 80, r -> figure(r.outMegabits())),
                column("CPU %", 60, r -> figure(r.cpuPercent())),
                column("Alerts", 60, r -> r.alerts() < 0 ? "–" : String.valueOf(r.alerts())),
                column("Engine", 60, r -> orDash(r.engine())),
                column("Version", 80, r -> orDash(r.version())),
                column(
                    "Last change", 320, r -> r.outcome() == null ? "" : r.outcome().describe())));
    table.setRowFactory(t -> {
      TableRow<ReadOnlyObjectWrapper<FleetRow>> row = new TableRow<>();
      row.setOnMouseClicked(e -> {
        if (e.getClickCount() == 2 && !row.isEmpty()) {
          openDashboard(row.getItem().get());
        }
      });
      return row;
    });

    open.setId("open-dashboard");
    open.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
    open.setOnAction(e -> {
      ReadOnlyObjectWrapper<FleetRow> selected = table.getSelectionModel().getSelectedItem();
      if (selected != null) {
        openDashboard(selected.get());
      }
    });
    key.setId("fleet-key");
    key.getItems().setAll(Settings.live().stream().map(Setting::key).toList());
    key.getSelectionModel().selectFirst();
    value.setId("fleet-value");
    value.setPromptText("value, e.g. 32");
    value.setPrefColumnCount(10);
    apply.setId("fleet-apply");
    apply.setOnAction(e -> applyToSelected());
    table
        .getSelectionModel()
        .getSelectedItems()
        .addListener((javafx.collections.ListChangeListener<Object>) c -> enableApply());
    value.textProperty().addListener((o, was, now) -> enableApply());
    enableApply();
    result.setId("fleet-result");
    result.setWrapText(true);
    result.setMaxWidth(Double.MAX_VALUE);

    HBox bar = new HBox(6, open, new Label("Change"), key, new Label("to"), value, apply);
    bar.setStyle("-fx-alignment: center-left;");
    VBox bottom = new VBox(6, bar, result);
    bottom.setStyle("-fx-padding: 6;");
    setCenter(table);
    setBottom(bottom);
  }

  private static String figure(double value) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String orDash(String text) {
    return text == null ? "–" : text;
  }

  private TableColumn<ReadOnlyObjectWrapper<FleetRow>, String> column(
      String heading, double width, Function<FleetRow, String> text) {
    TableColumn<ReadOnlyObjectWrapper<FleetRow>, String> column = new TableColumn<>(heading);
    column.setPrefWidth(width);
    column.setCellValueFactory(cell -> {
      ObservableValue<FleetRow> row = cell.getValue();
      return Bindings.createStringBinding(() -> text.apply(row.getValue()), row);
    });
    return column;
  }

  private void show(FleetRow row) {
    ReadOnlyObjectWrapper<FleetRow> cell = byName.get(row.name());
    if (cell != null) {
      cell.set(row);
    }
  }

  private void openDashboard(FleetRow row) {
    openDashboard.accept(fleet.profile(row.name()));
  }

  private void enableApply() {
    apply.setDisable(
        sending
            || table.getSelectionModel().getSelectedItems().isEmpty()
            || value.getText().isBlank());
  }

  private void applyToSelected() {
    List<String> names =
        table.getSelectionModel().getSelectedItems().stream().map(c -> c.get().name()).toList();
    Map<String, String> change = Map.of(key.getValue(), value.getText().strip());
    sending = true;
    enableApply();
    result.setText("applying " + describe(change) + " to " + String.join(", ", names) + " …");
    calls.execute(() -> {
      Map<String, FleetOutcome> outcomes = fleet.apply(names, change);
      Platform.runLater(() -> {
        sending = false;
        enableApply();
        result.setText(
            describe(change)
                + "\n"
                + outcomes.entrySet().stream()
                    .map(o -> o.getKey() + ": " + o.getValue().describe())
                    .collect(Collectors.joining("\n")));
      });
    });
  }

  private static String describe(Map<String, String> change) {
    return change.entrySet().stream()
        .map(e -> e.getKey() + " → " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  /** The rows as shown now, for tests. */
  List<FleetRow> rows() {
    return items.stream().map(ReadOnlyObjectWrapper::get).toList();
  }

  /** Stops watching the servers. */
  public void shutdown() {
    calls.shutdownNow();
    fleet.close();
  }
}
