/**
 * A Lightway connection as a state machine with no I/O (digest §3): fed outside bytes and inside
 * packets by the event loop, it answers through its {@link dev.ringway.core.conn.Connection.Host}
 * with bytes to send, packets for the TUN and lifecycle events. {@link
 * dev.ringway.core.conn.UdpDemux} finds the connection a server datagram belongs to (§3.8).
 */
package dev.ringway.core.conn;
