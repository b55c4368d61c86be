package dev.ringway.core.auth;

import java.net.InetAddress;
import java.util.Optional;

/**
 * The server's authentication policy (§6): user/password against the user database, tokens against
 * the token key, a method without its backend denied, and repeated failures from one address
 * rate-limited. Every method may block for tens of milliseconds (bcrypt, RSA): call it on a worker
 * thread and hand the result back to the loop. Thread-safe.
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

  /** Checks a user name and password from {@code peer}. */
  public AuthResult password(InetAddress peer, String user, String password) {
    if (!limiter.allows(peer)) {
      return AuthResult.denied(AuthResult.Reason.RATE_LIMITED);
    }
    AuthResult result =
        users
            .map(db -> db.authenticate(user, password))
            .orElse(AuthResult.denied(AuthResult.Reason.METHOD_UNAVAILABLE));
    return noted(peer, result);
  }

  /** Checks a JWT from {@code peer} (plain and versioned token requests alike). */
  public AuthResult token(InetAddress peer, String token) {
    if (!limiter.allows(peer)) {
      return AuthResult.denied(AuthResult.Reason.RATE_LIMITED);
    }
    AuthResult result =
        tokens
            .map(verifier -> verifier.verify(token))
            .orElse(AuthResult.denied(AuthResult.Reason.METHOD_UNAVAILABLE));
    return noted(peer, result);
  }

  private AuthResult noted(InetAddress peer, AuthResult result) {
    if (result.granted()) {
      limiter.recordSuccess(peer);
    } else {
      limiter.recordFailure(peer);
    }
    return result;
  }
}
