package dev.ringway.console.ui;

import dev.ringway.console.link.ConnectionInfo;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;

/**
 * The clients connected to the server, refreshed with every second sample, and a Disconnect button
 * for operators. Numbers and times keep their values for sorting and are only formatted for show.
 */
final class ConnectionsPane extends BorderPane {
  /** What the pane asks of the console, off the JavaFX thread. */
  interface Actions {
    void disconnect(String session);
  }

  private static final DateTimeFormatter SINCE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private static final String SELECT_TO_DISCONNECT = "select a client to disconnect it";

  private final TableView<ConnectionInfo> table = new TableView<>();
  private final Button disconnect = new Button("Disconnect");
  private final Label note = new Label();
  private boolean mayChange;

  ConnectionsPane(Actions actions) {
    table.setId("connections");
    table
        .getColumns()
        .setAll(
            List.of(
                column("session", 150, ConnectionInfo::session, String::valueOf),
                column("user", 100, ConnectionInfo::user, String::valueOf),
                column("mode", 50, ConnectionInfo::mode, String::valueOf),
                column("state", 110, ConnectionInfo::state, String::valueOf),
                column("inner IP", 110, ConnectionInfo::innerIp, String::valueOf),
                column("outer address", 150, ConnectionInfo::outerAddress, String::valueOf),
                column("bytes in", 110, ConnectionInfo::bytesIn, ConnectionsPane::bytes),
                column("bytes out", 110, ConnectionInfo::bytesOut, ConnectionsPane::bytes),
                column("since", 150, ConnectionInfo::sinceEpochMillis, ConnectionsPane::since),
                column("last seen", 90, ConnectionInfo::lastSeenMillisAgo, ConnectionsPane::ago)));
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    disconnect.setId("disconnect");
    note.setId("connections-note");
    disconnect.setDisable(true);
    table
        .getSelectionModel()
        .selectedItemProperty()
        .addListener((o, was, now) -> disconnect.setDisable(!mayChange || now == null));
    disconnect.setOnAction(e -> {
      ConnectionInfo selected = table.getSelectionModel().getSelectedItem();
      if (selected != null) {
        actions.disconnect(selected.session());
      }
    });
    HBox bar = new HBox(8, disconnect, note);
    bar.setStyle("-fx-padding: 6; -fx-alignment: center-left;");
    setTop(bar);
    setCenter(table);
  }

  private static <T> TableColumn<ConnectionInfo, T> column(
      String title, double width, Function<ConnectionInfo, T> value, Function<T, String> shown) {
    TableColumn<ConnectionInfo, T> column = new TableColumn<>(title);
    column.setPrefWidth(width);
    column.setId("column-" + title.replace(' ', '-'));
    column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
    column.setCellFactory(c ->
        new TableCell<>() {
          @Override
          protected void updateItem(T item, boolean empty) {
            super.updateItem(item, empty);
            setText(empty || item == null ? null : shown.apply(item));
          }
        });
    return column;
  }

  /** A byte count with thousands separators. */
  static String bytes(long count) {
    return String.format(Locale.ROOT, "%,d", count);
  }

  /** The local date and time of {@code epochMillis}; empty when the server did not say. */
  static String since(long epochMillis) {
    return epochMillis <= 0 ? "" : SINCE.format(Instant.ofEpochMilli(epochMillis));
  }

  /** How long ago, in seconds with one decimal. */
  static String ago(long millis) {
    return String.format(Locale.ROOT, "%.1f s ago", millis / 1000.0);
  }

  void setMayChange(boolean mayChange, String reason) {
    this.mayChange = mayChange;
    note.setText(mayChange ? SELECT_TO_DISCONNECT : reason);
    disconnect.setDisable(!mayChange || table.getSelectionModel().getSelectedItem() == null);
  }

  void show(List<ConnectionInfo> connections) {
    String selected =
        table.getSelectionModel().getSelectedItem() == null
            ? null
            : table.getSelectionModel().getSelectedItem().session();
    table.getItems().setAll(connections);
    for (ConnectionInfo row : connections) {
      if (row.session().equals(selected)) {
        table.getSelectionModel().select(row);
      }
    }
  }

  void say(String message) {
    note.setText(message);
  }
}
