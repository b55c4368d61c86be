package dev.ringway.server.jmx;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code type=Alerts}: what the {@link AlertEvaluator} decided, kept for JMX readers and announced
 * as notifications and log lines.
 */
final class AlertsBean implements AlertsMXBean {
  static final String RAISED = "dev.ringway.alert.raised";
  static final String CLEARED = "dev.ringway.alert.cleared";

  /** Raise and clear events kept for {@link #getHistory}. */
  static final int HISTORY = 500;

  static final MBeanNotificationInfo[] NOTIFICATIONS = {
    new MBeanNotificationInfo(
        new String[] {RAISED, CLEARED},
        Notification.class.getName(),
        "An alert rule's condition held for its duration (raised), or stopped holding or was"
            + " removed by a reload (cleared); the message names rule, figure, value and"
            + " condition.")
  };

  private static final Logger log = LoggerFactory.getLogger("dev.ringway.alerts");

  private final ObjectName name;
  private final NotificationBroadcasterSupport emitter =
      new NotificationBroadcasterSupport(NOTIFICATIONS);
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, Alert> active = new LinkedHashMap<>();
  private final Deque<Event> history = new ArrayDeque<>();
  private volatile List<String> rules = List.of();

  AlertsBean(ObjectName name) {
    this.name = name;
  }

  ObjectName name() {
    return name;
  }

  NotificationBroadcasterSupport emitter() {
    return emitter;
  }

  void rules(List<String> rules) {
    this.rules = List.copyOf(rules);
  }

  void raise(String rule, String figure, String condition, double value, long epochMillis) {
    Alert alert = new Alert(rule, figure, condition, value, epochMillis);
    record(new Event(epochMillis, "raised", rule, figure, condition, value), alert);
    String message =
        "alert " + rule + " raised: " + figure + " = " + number(value) + ", " + condition;
    log.warn(message);
    send(RAISED, message, epochMillis);
  }

  void clear(String rule, String figure, String condition, double value, long epochMillis) {
    record(new Event(epochMillis, "cleared", rule, figure, condition, value), null);
    String message =
        Double.isNaN(value)
            ? "alert " + rule + " cleared: the rule was removed or changed by a reload"
            : "alert " + rule + " cleared: " + figure + " = " + number(value) + ", " + condition;
    log.info(message);
    send(CLEARED, message, epochMillis);
  }

  private synchronized void record(Event event, Alert raised) {
    if (raised != null) {
      active.put(raised.name(), raised);
    } else {
      active.remove(event.name());
    }
    history.addLast(event);
    while (history.size() > HISTORY) {
      history.removeFirst();
    }
  }

  private void send(String type, String message, long epochMillis) {
    emitter.sendNotification(
        new Notification(type, name, sequence.incrementAndGet(), epochMillis, message));
  }

  static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(java.util.Locale.ROOT, "%.3f", value);
  }

  @Override
  public synchronized Alert[] getActive() {
    return active.values().toArray(Alert[]::new);
  }

  @Override
  public synchronized Event[] getHistory() {
    return history.toArray(Event[]::new);
  }

  @Override
  public String[] getRules() {
    return rules.toArray(String[]::new);
  }
}
