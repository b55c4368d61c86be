package dev.ringway.console.link;

import javax.management.openmbean.CompositeData;

/**
 * One client connection as {@code Connections.list()} reports it.
 *
 * @param session the session id, 16 hex digits; what {@code disconnect} takes
 * @param user who the client authenticated as (user name or token subject), empty before
 * @param mode {@code udp} or {@code tcp}
 * @param state the connection state, e.g. {@code ONLINE}
 * @param innerIp the pool address given to the client, empty before authentication
 * @param outerAddress the client's outside address, host:port
 * @param bytesIn inside bytes received from the client
 * @param bytesOut inside bytes sent to the client
 * @param sinceEpochMillis when the client connected, by the server's wall clock; 0 when the server
 *     does not say (a server older than the {@code user} and {@code sinceEpochMillis} fields)
 * @param lastSeenMillisAgo milliseconds since the client last sent anything
 */
public record ConnectionInfo(
    String session,
    String user,
    String mode,
    String state,
    String innerIp,
    String outerAddress,
    long bytesIn,
    long bytesOut,
    long sinceEpochMillis,
    long lastSeenMillisAgo) {

  /** Reads the {@code value} composite of one {@code list()} row. */
  static ConnectionInfo of(CompositeData row) {
    return new ConnectionInfo(
        (String) row.get("session"),
        row.containsKey("user") ? (String) row.get("user") : "",
        (String) row.get("mode"),
        (String) row.get("state"),
        (String) row.get("innerIp"),
        (String) row.get("outerAddress"),
        ((Number) row.get("bytesIn")).longValue(),
        ((Number) row.get("bytesOut")).longValue(),
        row.containsKey("sinceEpochMillis")
            ? ((Number) row.get("sinceEpochMillis")).longValue()
            : 0,
        ((Number) row.get("lastSeenMillisAgo")).longValue());
  }
}
