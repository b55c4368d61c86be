/**
 * Inside (TUN-side) IPv4 handling of digest §5: the client address pool, the in-place address
 * translation that lets every client use the same static inside addresses, with RFC 1624
 * incremental checksum updates, the inside-packet checks, and TCP MSS clamping. Everything here
 * works on a region of a {@link java.nio.ByteBuffer} without allocating.
 */
package dev.ringway.core.ip;
