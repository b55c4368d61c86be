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

  static ServerEvent link(String message) {
    return new ServerEvent(System.currentTimeMillis(), LINK, message);
  }

  /** Something the console itself has to say in the log, e.g. a read that failed. */
  public static ServerEvent console(String message) {
    return link(message);
  }
}
