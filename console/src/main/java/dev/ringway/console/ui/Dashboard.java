package dev.ringway.console.ui;

import dev.ringway.console.history.Recording;
import dev.ringway.console.history.Recording.PathFigure;
import dev.ringway.console.link.Rates;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.StackPane;
import javax.imageio.ImageIO;

/**
 * The live dashboard: CPU (process, loop thread, SQPOLL thread), throughput per path in Mbit/s and
 * packets/s, EAGAIN per path, in flight against slots per path, CQEs per enter and connections,
 * over a window of 1, 5 or 30 minutes that follows the newest sample or stays where it was paused.
 * The charts are made when the first rates arrive, since only then are the server's paths known.
 */
final class Dashboard extends BorderPane {
  /** The time windows an operator can pick. */
  enum Window {
    ONE_MINUTE("1 min", Duration.ofMinutes(1)),
    FIVE_MINUTES("5 min", Duration.ofMinutes(5)),
    THIRTY_MINUTES("30 min", Duration.ofMinutes(30));

    final String label;
    final Duration length;

    Window(String label, Duration length) {
      this.label = label;
      this.length = length;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** What every chart's PNG… button and context menu do. */
  static final String SAVE_CHART = "Save this chart as PNG…";

  private final Recording recording = new Recording();
  private final GridPane grid = new GridPane();
  private final List<TimeSeriesChart> charts = new ArrayList<>();
  private final ChoiceBox<Window> window = new ChoiceBox<>();
  private final ToggleButton pause = new ToggleButton("Pause");
  private final Label status = new Label("waiting for the first samples …");
  private final Label exported = new Label();
  private final SaveDialog saveDialog;
  private long newestMillis;
  private long pausedAtMillis;

  Dashboard(SaveDialog saveDialog) {
    this.saveDialog = saveDialog;
    window.getItems().setAll(Window.values());
    window.setValue(Window.FIVE_MINUTES);
    window.setId("window");
    window.valueProperty().addListener((o, was, now) -> redraw());
    pause.setId("pause");
    pause
        .selectedProperty()
        .addListener((o, was, paused) -> {
          pause.setText(paused ? "Follow" : "Pause");
          pausedAtMillis = newestMillis;
          redraw();
        });
    exported.setId("exported");
    Button csv = new Button("Export CSV…");
    csv.setId("export-csv");
    csv.setOnAction(e -> choose("CSV", "*.csv", "ringway.csv", this::exportCsv));
    Button png = new Button("Save charts as PNG…");
    png.setId("save-charts-png");
    png.setTooltip(
        new Tooltip("All charts in one image; right-click a chart to save only that one"));
    png.setOnAction(e -> choose("PNG image", "*.png", "ringway-dashboard.png", this::exportPng));
    HBox bar = new HBox(8, new Label("Window"), window, pause, csv, png, status, exported);
    bar.setStyle("-fx-padding: 6; -fx-alignment: center-left;");
    setTop(bar);
    grid.setHgap(6);
    grid.setVgap(6);
    grid.setStyle("-fx-padding: 6; -fx-background-color: #f4f4f4;");
    setCenter(grid);
  }

  Recording recording() {
    return recording;
  }

  List<TimeSeriesChart> charts() {
    return List.copyOf(charts);
  }

  /** Records {@code rates} and redraws; on the JavaFX thread. */
  void add(Rates rates) {
    if (charts.isEmpty()) {
      buildCharts(rates);
    }
    recording.add(rates);
    newestMillis = rates.epochMillis();
    status.setText(recording.size() + " samples");
    redraw();
  }

  /** Breaks every chart's lines at {@code epochMillis}: the server restarted then. */
  void addGap(long epochMillis) {
    if (recording.size() == 0) {
      return;
    }
    recording.addGap(epochMillis);
    newestMillis = epochMillis;
    redraw();
  }

  private void buildCharts(Rates first) {
    List<String> slotted =
        first.paths().stream().filter(p -> p.slots() > 0).map(Rates.PathRates::path).toList();
    List<String> receiving = slotted.stream().filter(p -> p.endsWith(".rx")).toList();
    charts.add(
        new TimeSeriesChart(
            "CPU, % (process: of all CPUs; threads: of one core)",
            recording, List.of(Recording.PROCESS_CPU, Recording.LOOP_CPU, Recording.SQPOLL_CPU)));
    charts.add(
        new TimeSeriesChart(
            "Throughput, Mbit/s", recording, columns(slotted, PathFigure.MEGABITS)));
    charts.add(
        new TimeSeriesChart("Packets per second", recording, columns(slotted, PathFigure.PACKETS)));
    charts.add(
        new TimeSeriesChart("EAGAIN per second", recording, columns(receiving, PathFigure.EAGAIN)));
    // Receive and send apart: the send pool's hundreds of slots would flatten the receive paths'
    // few dozen, which are what an operator tunes against EAGAIN.
    List<String> sending = slotted.stream().filter(p -> p.endsWith(".tx")).toList();
    List<String> notSending = slotted.stream().filter(p -> !p.endsWith(".tx")).toList();
    charts.add(
        new TimeSeriesChart(
            "Receive: in flight and slots", recording, inFlightAndSlots(notSending)));
    charts.add(
        new TimeSeriesChart("Send: in flight and slots", recording, inFlightAndSlots(sending)));
    charts.add(
        new TimeSeriesChart(
            "CQEs per io_uring_enter", recording, List.of(Recording.CQES_PER_ENTER)));
    charts.add(new TimeSeriesChart("Connections", recording, List.of(Recording.CONNECTIONS)));
    for (int i = 0; i < charts.size(); i++) {
      grid.add(withSaveButton(charts.get(i)), i % 2, i / 2);
    }
    for (int column = 0; column < 2; column++) {
      ColumnConstraints constraints = new ColumnConstraints();
      constraints.setPercentWidth(50);
      constraints.setHgrow(Priority.ALWAYS);
      grid.getColumnConstraints().add(constraints);
    }
    for (int row = 0; row < (charts.size() + 1) / 2; row++) {
      RowConstraints constraints = new RowConstraints();
      constraints.setVgrow(Priority.ALWAYS);
      grid.getRowConstraints().add(constraints);
    }
  }

  /**
   * {@code chart} with a small button in its top right corner, and a context menu, that save just
   * that chart as a PNG image (the button is not part of the image).
   */
  private Node withSaveButton(TimeSeriesChart chart) {
    Runnable save = () -> choose("PNG image", "*.png", fileName(chart), f -> exportPng(chart, f));
    Button button = new Button("PNG…");
    button.setId("png-" + fileName(chart).replaceAll("^ringway-|\\.png$", ""));
    button.setTooltip(new Tooltip(SAVE_CHART));
    button.setStyle("-fx-font-size: 10; -fx-padding: 1 5;");
    button.setFocusTraversable(false);
    button.setOnAction(e -> save.run());
    MenuItem item = new MenuItem(SAVE_CHART);
    item.setOnAction(e -> save.run());
    ContextMenu menu = new ContextMenu(item);
    chart.setOnContextMenuRequested(e -> menu.show(chart, e.getScreenX(), e.getScreenY()));
    StackPane cell = new StackPane(chart, button);
    StackPane.setAlignment(button, Pos.TOP_RIGHT);
    StackPane.setMargin(button, new Insets(2, 4, 0, 0));
    return cell;
  }

  /** E.g. {@code ringway-throughput.png} for "Throughput, Mbit/s": the title up to its unit. */
  static String fileName(TimeSeriesChart chart) {
    String name = chart.title().split("[,(]")[0].strip().toLowerCase(java.util.Locale.ROOT);
    return "ringway-" + name.replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "") + ".png";
  }

  private static List<String> inFlightAndSlots(List<String> paths) {
    List<String> columns = new ArrayList<>();
    for (String path : paths) {
      columns.add(Recording.column(path, PathFigure.IN_FLIGHT));
      columns.add(Recording.column(path, PathFigure.SLOTS));
    }
    return columns;
  }

  private static List<String> columns(List<String> paths, PathFigure figure) {
    return paths.stream().map(p -> Recording.column(p, figure)).toList();
  }

  private void redraw() {
    long right = pause.isSelected() ? pausedAtMillis : newestMillis;
    long length = window.getValue().length.toMillis();
    for (TimeSeriesChart chart : charts) {
      chart.show(right, length);
    }
  }

  /** Writes every recorded sample as CSV to {@code file}. */
  void exportCsv(Path file) throws IOException {
    try (Writer out = Files.newBufferedWriter(file)) {
      recording.writeCsv(out);
    }
  }

  /** Writes the dashboard's charts as they are drawn now as a PNG image to {@code file}. */
  void exportPng(Path file) throws IOException {
    exportPng(grid, file);
  }

  /** Writes {@code node} as it is drawn now as a PNG image of its size to {@code file}. */
  static void exportPng(Node node, Path file) throws IOException {
    WritableImage image = node.snapshot(null, null);
    if (!ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile())) {
      throw new IOException("no PNG writer in this JVM");
    }
  }

  private interface Export {
    void to(Path file) throws IOException;
  }

  private void choose(String kind, String pattern, String name, Export export) {
    Path file = saveDialog.choose(getScene().getWindow(), kind, pattern, name);
    if (file == null) {
      return;
    }
    try {
      export.to(file);
      exported.setText("saved " + file);
    } catch (IOException e) {
      exported.setText("could not save " + file + ": " + e.getMessage());
    }
  }
}
