package dev.ringway.console.ui;

import dev.ringway.config.ConfigError;
import dev.ringway.config.Setting;
import dev.ringway.config.Settings;
import dev.ringway.console.link.ApplyOutcome;
import dev.ringway.console.link.LiveTunables;
import dev.ringway.console.link.TuningDraft;
import dev.ringway.console.link.TuningDraft.AppliedChange;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;

/**
 * Every live tunable with its applied value and an editable pending value. Each edit is checked at
 * once with the yaml-config rules and an error shows beside its field; Apply stays disabled while
 * anything is wrong, so nothing invalid is sent. Apply sends the diff as one atomic change and
 * shows the server's answer verbatim; the history lists what was applied and Revert puts back the
 * values the last change replaced. A monitor sees the values but cannot edit.
 */
final class TuningPane extends VBox {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  /** What the pane asks of the console: sending a change, off the JavaFX thread. */
  interface Sender {
    void apply(Map<String, String> changes, java.util.function.Consumer<ApplyOutcome> answer);
  }

  private final Sender sender;
  private final GridPane rows = new GridPane();
  private final Map<String, Label> appliedLabels = new HashMap<>();
  private final Map<String, TextField> fields = new HashMap<>();
  private final Map<String, Label> errorLabels = new HashMap<>();
  private final Label diff = new Label("no pending change");
  private final Label result = new Label();
  private final Label readOnly = new Label();
  private final Button apply = new Button("Apply");
  private final Button revert = new Button("Revert last change");
  private final ListView<String> history = new ListView<>();
  private final java.util.List<AppliedChange> applied = new java.util.ArrayList<>();
  private TuningDraft draft;
  private boolean mayChange;
  private boolean sending;

  TuningPane(Sender sender) {
    this.sender = sender;
    setSpacing(8);
    setStyle("-fx-padding: 10;");
    rows.setHgap(12);
    rows.setVgap(4);
    int row = 0;
    for (String heading : List.of("key", "applied", "pending", "")) {
      Label label = new Label(heading);
      label.setFont(Font.font(null, FontWeight.BOLD, 12));
      rows.add(label, row++, 0);
    }
    int line = 1;
    for (Setting<?> setting : Settings.live()) {
      String key = setting.key();
      Label name = new Label(key + unit(setting));
      name.setTooltip(new Tooltip(setting.description()));
      Label appliedLabel = new Label("—");
      appliedLabel.setId("applied-" + nodeId(key));
      TextField field = new TextField();
      field.setId("pending-" + nodeId(key));
      field.setPrefColumnCount(10);
      field.setDisable(true);
      field.textProperty().addListener((o, was, now) -> edited(key, now));
      Label error = new Label();
      error.setId("error-" + nodeId(key));
      error.setStyle("-fx-text-fill: #b00020;");
      error.setWrapText(true);
      error.setMaxWidth(520);
      error.managedProperty().bind(error.textProperty().isEmpty().not());
      // What the key does, beside it rather than only in a tooltip (e.g. "0ms turns SQPOLL off");
      // one line, so every row keeps the height of its field; an error takes its place.
      Label description = new Label(setting.description());
      description.setTooltip(new Tooltip(setting.description()));
      description.setStyle("-fx-text-fill: #666666;");
      description.setMaxWidth(700);
      description.visibleProperty().bind(error.textProperty().isEmpty());
      description.managedProperty().bind(description.visibleProperty());
      HBox beside = new HBox(error, description);
      beside.setAlignment(Pos.CENTER_LEFT);
      rows.addRow(line++, name, appliedLabel, field, beside);
      appliedLabels.put(key, appliedLabel);
      fields.put(key, field);
      errorLabels.put(key, error);
    }
    apply.setId("apply");
    apply.setDisable(true);
    apply.setOnAction(e -> send(draft.changes()));
    revert.setId("revert");
    revert.setDisable(true);
    revert.setOnAction(e -> revertLast());
    diff.setId("diff");
    diff.setWrapText(true);
    result.setId("result");
    result.setWrapText(true);
    readOnly.setId("read-only");
    readOnly.setStyle("-fx-text-fill: #8a6d00;");
    history.setId("history");
    history.setPrefHeight(140);
    getChildren()
        .addAll(
            readOnly,
            rows,
            new Label("Pending against applied:"),
            diff,
            new HBox(8, apply, revert),
            result,
            new Label("Applied changes:"),
            history);
  }

  /** A node id for {@code key}: CSS selectors read dots as classes. */
  static String nodeId(String key) {
    return key.replace('.', '-');
  }

  private static String unit(Setting<?> setting) {
    return setting.jmxUnit().isEmpty() ? "" : " (" + setting.jmxUnit() + ")";
  }

  /**
   * Shows the server's applied values. Pending edits that still differ from them are kept, so a
   * change announced by another operator does not wipe what this one is typing.
   */
  void showApplied(LiveTunables live, boolean mayChange, String roleReason) {
    this.mayChange = mayChange;
    Map<String, String> kept = draft == null ? Map.of() : draft.changes();
    draft = TuningDraft.of(live);
    readOnly.setText(mayChange ? "" : roleReason);
    for (Setting<?> setting : Settings.live()) {
      String key = setting.key();
      String value = live.valuesByKey().getOrDefault(key, "");
      appliedLabels.get(key).setText(value);
      TextField field = fields.get(key);
      field.setText(kept.getOrDefault(key, value));
      field.setDisable(false);
      field.setEditable(mayChange);
    }
    refresh();
  }

  private void edited(String key, String text) {
    if (draft == null) {
      return;
    }
    draft = draft.with(key, text);
    refresh();
  }

  private void refresh() {
    Map<String, String> changes = draft.changes();
    List<ConfigError> errors = draft.errors();
    Map<String, String> byKey =
        errors.stream()
            .collect(Collectors.toMap(ConfigError::key, TuningPane::rule, (a, b) -> a + "; " + b));
    errorLabels.forEach((key, label) -> label.setText(byKey.getOrDefault(key, "")));
    diff.setText(
        changes.isEmpty()
            ? "no pending change"
            : changes.entrySet().stream()
                .map(c ->
                    c.getKey()
                        + ": "
                        + draft.applied().valuesByKey().get(c.getKey())
                        + " → "
                        + c.getValue())
                .collect(Collectors.joining("\n")));
    apply.setDisable(!mayChange || sending || changes.isEmpty() || !errors.isEmpty());
    revert.setDisable(!mayChange || sending || applied.isEmpty());
  }

  /** The rule, with the suggestion if there is one; the key is beside it already. */
  private static String rule(ConfigError error) {
    return error.suggestion() == null
        ? error.rule()
        : error.rule() + " — did you mean " + error.suggestion() + "?";
  }

  private void send(Map<String, String> changes) {
    Map<String, String> before = new HashMap<>();
    changes.keySet().forEach(key -> before.put(key, draft.applied().valuesByKey().get(key)));
    sending = true;
    refresh();
    result.setText("applying " + changes + " …");
    sender.apply(
        changes,
        outcome -> {
          sending = false;
          result.setText(outcome.message());
          result.setStyle(
              outcome instanceof ApplyOutcome.Applied
                  ? "-fx-text-fill: #1b5e20;"
                  : "-fx-text-fill: #b00020;");
          if (outcome instanceof ApplyOutcome.Applied) {
            AppliedChange change =
                new AppliedChange(System.currentTimeMillis(), before, changes, outcome.message());
            applied.add(change);
            history
                .getItems()
                .add(
                    0,
                    CLOCK.format(Instant.ofEpochMilli(change.epochMillis()))
                        + "  "
                        + outcome.message());
          }
          refresh();
        });
  }

  private void revertLast() {
    if (applied.isEmpty()) {
      return;
    }
    AppliedChange last = applied.removeLast();
    TuningDraft back = TuningDraft.reverting(draft.applied(), last);
    for (Map.Entry<String, String> entry : back.changes().entrySet()) {
      fields.get(entry.getKey()).setText(entry.getValue());
    }
    send(back.changes());
  }
}
