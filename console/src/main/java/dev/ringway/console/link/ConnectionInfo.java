package dev.ringway.console.link;

import javax.management.openmbean.CompositeData;

/**
 * One client connection as {@code Connections.list()} reports it.
 *
 * @param session the session id, 16 hex digits; what {@code disconnect} takes
 * @param mode {@code udp} or {@code tcp}
 * @param state the connection state, e.g. {@code ONLINE}
 * @param innerIp the pool address given to the client, empty before authentication
 * @param outerAddress the client's outside address, host:port
 * @param bytesIn inside bytes received from the client
 * @param bytesOut inside bytes sent to the client
 * @param lastSeenMillisAgo milliseconds since the client last sent anything
 */
public record ConnectionInfo(
    String session,
    String mode,
    String state,
    String innerIp,
    String outerAddress,
    long bytesIn,
    long bytesOut,
    long lastSeenMillisAgo) {

  /** Reads the {@code value} composite of one {@code list()} row. */
  static ConnectionInfo of(CompositeData row) {
    return new ConnectionInfo(
        (String) row.get("session"),
        (String) row.get("mode"),
        (String) row.get("state"),
        (String) row.get("innerIp"),
        (String) row.get("outerAddress"),
        ((Number) row.get("bytesIn")).longValue(),
        ((Number) row.get("bytesOut")).longValue(),
        ((Number) row.get("lastSeenMillisAgo")).longValue());
  }
}
