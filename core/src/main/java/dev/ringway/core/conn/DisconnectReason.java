package dev.ringway.core.conn;

/** Why a connection ended; names follow Lightway's fatal errors (digest §3.4) where they exist. */
public enum DisconnectReason {
  /** Closed by this side (operator, shutdown, a client's own decision). */
  LOCAL,
  /** The peer sent Goodbye. */
  GOODBYE,
  /** The peer closed TLS (close_notify) or the stream ended. */
  PEER_CLOSED,
  /** Server: the credentials were refused. */
  ACCESS_DENIED,
  /** Server: the inside address pool is exhausted. */
  NO_AVAILABLE_CLIENT_IP,
  /** Client: the server answered AuthFailure; server: a client sent AuthFailure. */
  UNAUTHORIZED,
  /** A frame only the other role may send (e.g. AuthSuccess received by a server). */
  INVALID_MODE,
  /** A frame that is not allowed in the current state; fatal over TCP only. */
  INVALID_STATE,
  /** Over TCP, an inside packet that is not IPv4; over UDP such packets are only dropped. */
  INVALID_INSIDE_PACKET,
  /** EncodedData without a packet codec (Ringway has none). */
  PACKET_CODEC_DOES_NOT_EXIST,
  /** A frame that could not be decoded, fatally for this transport. */
  WIRE_ERROR,
  /** The (D)TLS layer failed: handshake refused, certificate untrusted, bad record on TCP. */
  TLS_FAILURE,
  /** The DTLS handshake or the client's keepalive got no answer in time. */
  TIMED_OUT,
  /** Server: not online within {@link ConnectionTimeouts#stale()} of its creation. */
  STALE,
  /** Server: online but no outside traffic for {@link ConnectionTimeouts#idle()}. */
  AGED_OUT
}
