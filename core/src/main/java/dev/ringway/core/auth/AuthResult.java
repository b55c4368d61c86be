package dev.ringway.core.auth;

/** The verdict on one authentication attempt. The peer only ever learns granted or not. */
public sealed interface AuthResult {

  /** Access granted to {@code identity} (the user name, or the token's subject). */
  record Granted(String identity) implements AuthResult {}

  /** Access denied, and why (for logs and metrics; never sent to the client). */
  record Denied(Reason reason) implements AuthResult {}

  /** Why access was denied. */
  enum Reason {
    UNKNOWN_USER,
    WRONG_PASSWORD,
    MALFORMED_TOKEN,
    WRONG_ALGORITHM,
    BAD_SIGNATURE,
    MISSING_EXPIRY,
    EXPIRED,
    NOT_YET_VALID,
    /** The method is not configured on this server (no user database, no token key, callback). */
    METHOD_UNAVAILABLE,
    /** Too many recent failures for this user or from this source prefix. */
    RATE_LIMITED
  }

  /** Whether access was granted. */
  default boolean granted() {
    return this instanceof Granted;
  }

  /** Shorthand for a denial. */
  static AuthResult denied(Reason reason) {
    return new Denied(reason);
  }
}
