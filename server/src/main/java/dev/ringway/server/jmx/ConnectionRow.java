package dev.ringway.server.jmx;

/**
 * One connection as {@code Connections.list()} shows it.
 *
 * @param session the session id, 16 hex digits
 * @param user who the client authenticated as (user name or token subject), empty before
 * @param mode {@code udp} or {@code tcp}
 * @param state the connection state, e.g. {@code ONLINE}
 * @param innerIp the pool address given to the client, empty before authentication
 * @param outerAddress the client's outside address, host:port
 * @param bytesIn inside bytes received from the client
 * @param bytesOut inside bytes sent to the client
 * @param sinceEpochMillis when the connection was made (wall clock, milliseconds since the epoch)
 * @param lastSeenMillisAgo milliseconds since the last outside data from the client
 * @param protocol the negotiated security protocol, {@code DTLSv1.3} or {@code TLSv1.3}; empty
 *     before the handshake has finished
 * @param cipherSuite the negotiated cipher suite's IANA name; empty before the handshake
 * @param group the negotiated key-exchange group (UDP; empty where the JDK's TLS does not say)
 */
public record ConnectionRow(
    String session,
    String user,
    String mode,
    String state,
    String innerIp,
    String outerAddress,
    long bytesIn,
    long bytesOut,
    long sinceEpochMillis,
    long lastSeenMillisAgo,
    String protocol,
    String cipherSuite,
    String group) {}
