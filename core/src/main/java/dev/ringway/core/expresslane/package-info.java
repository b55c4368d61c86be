/**
 * Expresslane (Lightway protocol 1.3, wire versions 1 and 2) for one side of one connection, with
 * no I/O: the key announcements exchanged over (D)TLS, the key lifecycle and the AES-256-GCM data
 * packets that carry inside packets outside DTLS (digest §2.12, §2.14, §3.11). The connection feeds
 * in configs, pongs, times and datagrams; the session answers with configs to send and packets.
 */
package dev.ringway.core.expresslane;
