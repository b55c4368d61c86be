package dev.ringway.console.ui;

import dev.ringway.console.link.ServerEvent;
import java.util.Set;
import java.util.TreeSet;
import javafx.scene.control.Label;

/**
 * The server's alerts that are up, in one line under the banner: what {@code Alerts.Active} said
 * when the link connected, then every raise and clear since. The events pane keeps their history.
 */
final class AlertBadge extends Label {
  private final Set<String> active = new TreeSet<>();

  AlertBadge() {
    setId("alerts");
    show();
  }

  /** Forgets every alert: a new connection re-reads them from the server. */
  void clear() {
    active.clear();
    show();
  }

  void add(ServerEvent event) {
    String rule = event.alertRule();
    if (rule == null) {
      return;
    }
    if (event.type().equals(ServerEvent.ALERT_CLEARED)) {
      active.remove(rule);
    } else {
      active.add(rule);
    }
    show();
  }

  /** The rules whose alerts are up, by name. */
  Set<String> active() {
    return Set.copyOf(active);
  }

  private void show() {
    if (active.isEmpty()) {
      setText("no alerts");
      setStyle("-fx-padding: 2 8;");
    } else {
      setText(
          active.size()
              + (active.size() == 1 ? " alert: " : " alerts: ")
              + String.join(", ", active));
      setStyle("-fx-padding: 2 8; -fx-background-color: #f8d3d3; -fx-font-weight: bold;");
    }
  }
}
