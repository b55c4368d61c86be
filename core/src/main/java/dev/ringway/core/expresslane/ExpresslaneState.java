package dev.ringway.core.expresslane;

/** Where one side stands in the Expresslane negotiation (Lightway's states, digest §3.11). */
public enum ExpresslaneState {
  /** Not configured on this side, or not possible on this connection (TCP, protocol below 1.3). */
  DISABLED,
  /** A server that waits for the client's first key: it never announces first. */
  WAITING_FOR_CLIENT,
  /** Offered or negotiating, or stopped by the peer: inside packets go over (D)TLS. */
  INACTIVE,
  /** Both keys in place: inside packets go out as Expresslane datagrams. */
  ACTIVE,
  /** Given up for the rest of the session after losses; the peer was told to stop too. */
  DEGRADED
}
