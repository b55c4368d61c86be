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
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;
import javafx.stage.FileChooser;
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

  private final Recording recording = new Recording();
  private final GridPane grid = new GridPane();
  private final List<TimeSeriesChart> charts = new ArrayList<>();
  private final ChoiceBox<Window> window = new ChoiceBox<>();
  private final ToggleButton pause = new ToggleButton("Pause");
  private final Label status = new Label("waiting for the first samples …");
  private long newestMillis;
  private long pausedAtMillis;

  Dashboard() {
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
    Button csv = new Button("Export CSV…");
    csv.setOnAction(e -> choose("CSV", "*.csv", "ringway.csv", this::exportCsv));
    Button png = new Button("Save PNG…");
    png.setOnAction(e -> choose("PNG image", "*.png", "ringway-dashboard.png", this::exportPng));
    HBox bar = new HBox(8, new Label("Window"), window, pause, csv, png, status);
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

  private void buildCharts(Rates first) {
    List<String> slotted =
        first.paths().stream().filter(p -> p.slots() > 0).map(Rates.PathRates::path).toList();
    List<String> receiving = slotted.stream().filter(p -> p.endsWith(".rx")).toList();
    List<String> inFlight = new ArrayList<>();
    for (String path : slotted) {
      inFlight.add(Recording.column(path, PathFigure.IN_FLIGHT));
      inFlight.add(Recording.column(path, PathFigure.SLOTS));
    }
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
    charts.add(new TimeSeriesChart("In flight and slots", recording, inFlight));
    charts.add(
        new TimeSeriesChart(
            "CQEs per io_uring_enter", recording, List.of(Recording.CQES_PER_ENTER)));
    charts.add(new TimeSeriesChart("Connections", recording, List.of(Recording.CONNECTIONS)));
    for (int i = 0; i < charts.size(); i++) {
      grid.add(charts.get(i), i % 2, i / 2);
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
    FileChooser chooser = new FileChooser();
    chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(kind, pattern));
    chooser.setInitialFileName(name);
    java.io.File file = chooser.showSaveDialog(getScene().getWindow());
    if (file == null) {
      return;
    }
    try {
      export.to(file.toPath());
      status.setText("saved " + file);
    } catch (IOException e) {
      status.setText("could not save " + file + ": " + e.getMessage());
    }
  }
}
