package dev.ringway.core.conn;

/**
 * Where a connection is in its life (digest §3.1). A server goes Connecting → LinkUp → Online →
 * Disconnecting → Disconnected; a client passes through Authenticating between LinkUp and Online.
 */
public enum ConnectionState {
  /** The (D)TLS handshake is in progress. */
  CONNECTING,
  /** (D)TLS is established; not yet authenticated. */
  LINK_UP,
  /** Client only: the AuthRequest is sent, the answer not yet received. */
  AUTHENTICATING,
  /** Authenticated: inside packets flow. */
  ONLINE,
  /** Tearing down: Goodbye and close_notify on their way. */
  DISCONNECTING,
  /** Finished; the connection takes nothing more. */
  DISCONNECTED
}
