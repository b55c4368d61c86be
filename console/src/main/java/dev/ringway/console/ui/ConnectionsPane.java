package dev.ringway.console.ui;

import dev.ringway.console.link.ConnectionInfo;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;

/**
 * The clients connected to the server, refreshed with the samples, and a Disconnect button for
 * operators. The contract's rows carry no user name or connect time yet, so neither is shown.
 */
final class ConnectionsPane extends BorderPane {
  /** What the pane asks of the console, off the JavaFX thread. */
  interface Actions {
    void disconnect(String session);
  }

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
                column("session", ConnectionInfo::session),
                column("mode", ConnectionInfo::mode),
                column("state", ConnectionInfo::state),
                column("inner IP", ConnectionInfo::innerIp),
                column("outer address", ConnectionInfo::outerAddress),
                column("bytes in", ConnectionInfo::bytesIn),
                column("bytes out", ConnectionInfo::bytesOut),
                column("last seen (ms ago)", ConnectionInfo::lastSeenMillisAgo)));
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    disconnect.setId("disconnect");
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
      String title, Function<ConnectionInfo, T> value) {
    TableColumn<ConnectionInfo, T> column = new TableColumn<>(title);
    column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
    return column;
  }

  void setMayChange(boolean mayChange, String reason) {
    this.mayChange = mayChange;
    note.setText(mayChange ? "" : reason);
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
