package dev.ringway.console.ui;

import dev.ringway.console.link.ServerEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javafx.scene.control.ListView;
import javafx.scene.layout.BorderPane;

/**
 * The server's notifications and the link's own events, newest first, as the server worded them.
 */
final class EventsPane extends BorderPane {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
  private static final int KEPT = 5000;

  private final ListView<String> log = new ListView<>();
  private final java.util.ArrayDeque<ServerEvent> kept = new java.util.ArrayDeque<>();

  EventsPane() {
    log.setId("events");
    setCenter(log);
  }

  void add(ServerEvent event) {
    kept.addFirst(event);
    if (kept.size() > KEPT) {
      kept.removeLast();
    }
    log.getItems()
        .add(
            0,
            CLOCK.format(Instant.ofEpochMilli(event.epochMillis()))
                + "  "
                + event.type()
                + "  "
                + event.message());
    if (log.getItems().size() > KEPT) {
      log.getItems().removeLast();
    }
  }

  /** The events shown, newest first. */
  java.util.List<ServerEvent> events() {
    return java.util.List.copyOf(kept);
  }

  java.util.List<String> lines() {
    return java.util.List.copyOf(log.getItems());
  }
}
