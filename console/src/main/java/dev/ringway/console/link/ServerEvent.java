package dev.ringway.console.link;

import javax.management.AttributeChangeNotification;
import javax.management.Notification;

/**
 * One line of the console's event log: a JMX notification from the server, or something that
 * happened to the link itself.
 *
 * @param epochMillis when it happened (the server's time for notifications)
 * @param type the notification type, e.g. {@code jmx.attribute.change}, {@code
 *     dev.ringway.retune.failed}, or {@code console.link} for the link's own events
 * @param message what the server (or the link) said, verbatim
 */
public record ServerEvent(long epochMillis, String type, String message) {
  /** The notification type of a refused or failed retune. */
  public static final String RETUNE_FAILED = "dev.ringway.retune.failed";

  /** The notification type of an alert the server raised. */
  public static final String ALERT_RAISED = "dev.ringway.alert.raised";

  /** The notification type of an alert the server cleared. */
  public static final String ALERT_CLEARED = "dev.ringway.alert.cleared";

  /** The type of the line the link writes for each alert already up when it connects. */
  public static final String ALERT_ACTIVE = "dev.ringway.alert.active";

  /** The type of events the link reports about itself (connected, lost, reconnected). */
  public static final String LINK = "console.link";

  static ServerEvent of(Notification notification) {
    String message = notification.getMessage();
    if (notification instanceof AttributeChangeNotification change
        && (message == null || message.isEmpty())) {
      message =
          change.getAttributeName() + " " + change.getOldValue() + " → " + change.getNewValue();
    }
    return new ServerEvent(notification.getTimeStamp(), notification.getType(), message);
  }

  /** One item of {@code Alerts.Active}, worded as the server words a raise. */
  static ServerEvent activeAlert(javax.management.openmbean.CompositeData alert) {
    return new ServerEvent(
        (Long) alert.get("raisedAt"),
        ALERT_ACTIVE,
        "alert "
            + alert.get("name")
            + " active: "
            + alert.get("figure")
            + " = "
            + alert.get("value")
            + ", "
            + alert.get("condition"));
  }

  /**
   * The rule an alert event is about, or null for any other event. The server words every alert
   * message {@code alert NAME raised: …} (or {@code cleared}), and rule names are single words.
   */
  public String alertRule() {
    if (!type.startsWith("dev.ringway.alert.") || !message.startsWith("alert ")) {
      return null;
    }
    int end = message.indexOf(' ', "alert ".length());
    return end < 0 ? null : message.substring("alert ".length(), end);
  }

  static ServerEvent link(String message) {
    return new ServerEvent(System.currentTimeMillis(), LINK, message);
  }

  /** Something the console itself has to say in the log, e.g. a read that failed. */
  public static ServerEvent console(String message) {
    return link(message);
  }
}
