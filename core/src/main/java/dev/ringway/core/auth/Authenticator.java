package dev.ringway.core.auth;

import dev.ringway.core.wire.AuthRequest;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The server's authentication policy (§6): user/password against the user database, tokens (plain
 * and versioned alike) against the token key, a method without its backend denied, and failures
 * rate-limited per user and per source prefix ({@link FailureRateLimiter}; a success resets
 * nothing). An unknown user costs a hash check like a known one. Every method may block for tens of
 * milliseconds (bcrypt, RSA): call it on a worker thread and hand the result back to the loop.
 * Thread-safe.
 */
public final class Authenticator {
  private final Optional<UserDatabase> users;
  private final Optional<TokenVerifier> tokens;
  private final FailureRateLimiter limiter;

  public Authenticator(
      Optional<UserDatabase> users, Optional<TokenVerifier> tokens, FailureRateLimiter limiter) {
    if (users.isEmpty() && tokens.isEmpty()) {
      throw new IllegalArgumentException("a user database or a token key is required");
    }
    this.users = users;
    this.tokens = tokens;
    this.limiter = limiter;
  }

  /**
   * Checks any AuthRequest from {@code peer}. A granted {@link AuthRequest.VersionedToken} asks for
   * the tunnel to speak {@link AuthRequest.VersionedToken#version()} from then on; applying it is
   * the connection's. CustomCallback is denied (no backend) and counted as a failure.
   */
  public AuthResult authenticate(InetAddress peer, AuthRequest request) {
    return switch (request) {
      case AuthRequest.UserPass(String user, String password) -> password(peer, user, password);
      case AuthRequest.Token(String token) -> token(peer, token);
      case AuthRequest.VersionedToken(var version, String token) -> token(peer, token);
      case AuthRequest.CustomCallback _ -> {
        if (!limiter.allows(peer, null)) {
          yield AuthResult.denied(AuthResult.Reason.RATE_LIMITED);
        }
        limiter.recordFailure(peer, null);
        yield AuthResult.denied(AuthResult.Reason.METHOD_UNAVAILABLE);
      }
    };
  }

  /** Checks a user name and password from {@code peer}. */
  public AuthResult password(InetAddress peer, String user, String password) {
    if (!limiter.allows(peer, user)) {
      return AuthResult.denied(AuthResult.Reason.RATE_LIMITED);
    }
    AuthResult result =
        users
            .map(db -> db.authenticate(user, password))
            .orElse(AuthResult.denied(AuthResult.Reason.METHOD_UNAVAILABLE));
    if (!result.granted()) {
      limiter.recordFailure(peer, user);
    }
    return result;
  }

  /** Checks a JWT from {@code peer} (plain and versioned token requests alike). */
  public AuthResult token(InetAddress peer, String token) {
    if (!limiter.allows(peer, null)) {
      return AuthResult.denied(AuthResult.Reason.RATE_LIMITED);
    }
    AuthResult result =
        tokens
            .map(verifier -> verifier.verify(token))
            .orElse(AuthResult.denied(AuthResult.Reason.METHOD_UNAVAILABLE));
    if (!result.granted()) {
      limiter.recordFailure(peer, null);
    }
    return result;
  }
}
