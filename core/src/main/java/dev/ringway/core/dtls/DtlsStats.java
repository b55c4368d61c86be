package dev.ringway.core.dtls;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of a DTLS endpoint, shared by its cookie gate and sessions: updated on the I/O thread
 * without allocation, readable from any thread (JMX).
 */
public final class DtlsStats {
  private static final int STARTED = 0;
  private static final int COMPLETED = 1;
  private static final int FAILED = 2;
  private static final int HRR = 3;
  private static final int COOKIES_SENT = 4;
  private static final int COOKIES_ACCEPTED = 5;
  private static final int BAD_COOKIES = 6;
  private static final int RETRANSMISSIONS = 7;
  private static final int DROP_MALFORMED = 8;
  private static final int DROP_UNKNOWN_EPOCH = 9;
  private static final int DROP_BAD_MAC = 10;
  private static final int DROP_REPLAY = 11;
  private static final int DROP_UNEXPECTED = 12;
  private static final int TIMEOUTS = 13;
  private static final int KEY_UPDATES = 14;
  private static final int PARTIAL_HELLOS = 15;
  private static final int FAILED_BY_ALERT = 16;

  private final AtomicLongArray c = new AtomicLongArray(FAILED_BY_ALERT + 256);

  public long handshakesStarted() {
    return c.get(STARTED);
  }

  public long handshakesCompleted() {
    return c.get(COMPLETED);
  }

  /** Handshakes that ended in a fatal alert (sent or received) or a timeout. */
  public long handshakesFailed() {
    return c.get(FAILED);
  }

  /** Failures that sent or received this alert description. */
  public long handshakesFailedByAlert(int alert) {
    return c.get(FAILED_BY_ALERT + (alert & 0xff));
  }

  public long handshakeTimeouts() {
    return c.get(TIMEOUTS);
  }

  public long helloRetryRequests() {
    return c.get(HRR);
  }

  public long cookiesSent() {
    return c.get(COOKIES_SENT);
  }

  public long cookiesAccepted() {
    return c.get(COOKIES_ACCEPTED);
  }

  public long badCookies() {
    return c.get(BAD_COOKIES);
  }

  public long retransmissions() {
    return c.get(RETRANSMISSIONS);
  }

  public long keyUpdates() {
    return c.get(KEY_UPDATES);
  }

  /** Fragmented ClientHellos the gate started to reassemble. */
  public long partialHellos() {
    return c.get(PARTIAL_HELLOS);
  }

  public long droppedMalformed() {
    return c.get(DROP_MALFORMED);
  }

  public long droppedUnknownEpoch() {
    return c.get(DROP_UNKNOWN_EPOCH);
  }

  public long droppedBadMac() {
    return c.get(DROP_BAD_MAC);
  }

  public long droppedReplay() {
    return c.get(DROP_REPLAY);
  }

  /** Records valid in form but not expected now (e.g. application data before the handshake). */
  public long droppedUnexpected() {
    return c.get(DROP_UNEXPECTED);
  }

  /** Every dropped record, whatever the reason. */
  public long dropped() {
    return droppedMalformed()
        + droppedUnknownEpoch()
        + droppedBadMac()
        + droppedReplay()
        + droppedUnexpected();
  }

  void started() {
    c.incrementAndGet(STARTED);
  }

  void completed() {
    c.incrementAndGet(COMPLETED);
  }

  void failed(int alert) {
    c.incrementAndGet(FAILED);
    c.incrementAndGet(FAILED_BY_ALERT + (alert & 0xff));
  }

  void timedOut() {
    c.incrementAndGet(FAILED);
    c.incrementAndGet(TIMEOUTS);
  }

  void hrr() {
    c.incrementAndGet(HRR);
  }

  void cookieSent() {
    c.incrementAndGet(COOKIES_SENT);
  }

  void cookieAccepted() {
    c.incrementAndGet(COOKIES_ACCEPTED);
  }

  void badCookie() {
    c.incrementAndGet(BAD_COOKIES);
  }

  void retransmission() {
    c.incrementAndGet(RETRANSMISSIONS);
  }

  void keyUpdate() {
    c.incrementAndGet(KEY_UPDATES);
  }

  void partialHello() {
    c.incrementAndGet(PARTIAL_HELLOS);
  }

  void malformed() {
    c.incrementAndGet(DROP_MALFORMED);
  }

  void unknownEpoch() {
    c.incrementAndGet(DROP_UNKNOWN_EPOCH);
  }

  void badMac() {
    c.incrementAndGet(DROP_BAD_MAC);
  }

  void replay() {
    c.incrementAndGet(DROP_REPLAY);
  }

  void unexpected() {
    c.incrementAndGet(DROP_UNEXPECTED);
  }
}
