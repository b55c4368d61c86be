package dev.ringway.client;

import dev.ringway.core.conn.DisconnectReason;
import dev.ringway.core.conn.InsideConfig;
import java.time.Duration;

/**
 * What a {@link ClientSession} is doing, as one immutable value published after every change (safe
 * to read from any thread).
 *
 * @param phase where the session is
 * @param attempts connections started so far
 * @param onlineCount how many of them reached Online
 * @param lastDisconnect why the last connection ended, or null before the first ended
 * @param lastWait the wait chosen after the last disconnect, or null before the first
 * @param insideConfig what the server granted at the last Online, or null before the first
 */
public record ClientStatus(
    Phase phase,
    int attempts,
    int onlineCount,
    DisconnectReason lastDisconnect,
    Duration lastWait,
    InsideConfig insideConfig) {

  /** Where a session is. */
  public enum Phase {
    /** Not started yet. */
    IDLE,
    /** A connection is doing its handshake or authenticating. */
    CONNECTING,
    /** Inside packets flow. */
    ONLINE,
    /** The last connection ended; the next starts after {@link ClientStatus#lastWait()}. */
    WAITING,
    /** Shut down; no further connection will be made. */
    STOPPED
  }

  static final ClientStatus INITIAL = new ClientStatus(Phase.IDLE, 0, 0, null, null, null);
}
