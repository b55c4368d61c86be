package dev.ringway.core.tls;

/** How the outside bytes travel: a TCP byte stream (TLS 1.3) or UDP datagrams (DTLS 1.2). */
public enum Transport {
  /** TLS 1.3 over a byte stream: records may be split or joined arbitrarily by the network. */
  STREAM,
  /** DTLS 1.2 over datagrams: each datagram is fed whole, and each wrap is one datagram. */
  DATAGRAM
}
