package dev.ringway.server.jmx;

/**
 * {@code dev.ringway:type=Alerts}: the {@code alerts:} rules of the configuration, checked at every
 * stats tick. Raising and clearing are announced as notifications {@value AlertsBean#RAISED} and
 * {@value AlertsBean#CLEARED}, and logged.
 */
public interface AlertsMXBean {

  /** The alerts raised and not yet cleared. */
  Alert[] getActive();

  /** The most recent raise and clear events, oldest first. */
  Event[] getHistory();

  /** The rules, one line each: {@code name: figure above N for D}. */
  String[] getRules();

  /**
   * A raised alert.
   *
   * @param value the figure when the alert was raised
   * @param raisedAt wall-clock time of the raise, epoch milliseconds
   */
  record Alert(String name, String figure, String condition, double value, long raisedAt) {}

  /**
   * A raise or a clear.
   *
   * @param type {@code raised} or {@code cleared}
   * @param value the figure at that tick (NaN when a reload removed the rule)
   */
  record Event(
      long epochMillis, String type, String name, String figure, String condition, double value) {}
}
