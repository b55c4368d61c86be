package dev.ringway.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ringway.core.tls.Pem;
import dev.ringway.core.tls.PemException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;

/**
 * Verifies the JWT tokens of §6: RS256 only, signature against the server's RSA public key, an
 * {@code exp} claim required, {@code exp} and {@code nbf} checked with 60 seconds of leeway; other
 * claims are not interpreted. Thread-safe.
 */
public final class TokenVerifier {
  /** Clock skew tolerated on {@code exp} and {@code nbf}. */
  public static final Duration LEEWAY = Duration.ofSeconds(60);

  private final RSASSAVerifier verifier;
  private final InstantSource clock;

  /** A verifier for tokens signed by the private half of {@code key}. */
  public TokenVerifier(RSAPublicKey key, InstantSource clock) {
    this.verifier = new RSASSAVerifier(key);
    this.clock = clock;
  }

  /** A verifier whose RSA public key is in a PEM file. */
  public static TokenVerifier fromPem(Path publicKeyFile, InstantSource clock) throws PemException {
    PublicKey key = Pem.publicKey(publicKeyFile);
    if (!(key instanceof RSAPublicKey rsa)) {
      throw new IllegalArgumentException(
          publicKeyFile + ": token keys must be RSA, found " + key.getAlgorithm());
    }
    return new TokenVerifier(rsa, clock);
  }

  /** Checks {@code token}; granted tokens name their subject (or "token" if they have none). */
  public AuthResult verify(String token) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return AuthResult.denied(AuthResult.Reason.MALFORMED_TOKEN);
    }
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
      return AuthResult.denied(AuthResult.Reason.WRONG_ALGORITHM);
    }
    try {
      if (!jwt.verify(verifier)) {
        return AuthResult.denied(AuthResult.Reason.BAD_SIGNATURE);
      }
    } catch (JOSEException | IllegalStateException e) {
      return AuthResult.denied(AuthResult.Reason.BAD_SIGNATURE);
    }
    Instant now = clock.instant();
    Date expiry = claims.getExpirationTime();
    if (expiry == null) {
      return AuthResult.denied(AuthResult.Reason.MISSING_EXPIRY);
    }
    if (now.isAfter(expiry.toInstant().plus(LEEWAY))) {
      return AuthResult.denied(AuthResult.Reason.EXPIRED);
    }
    Date notBefore = claims.getNotBeforeTime();
    if (notBefore != null && now.plus(LEEWAY).isBefore(notBefore.toInstant())) {
      return AuthResult.denied(AuthResult.Reason.NOT_YET_VALID);
    }
    return new AuthResult.Granted(claims.getSubject() != null ? claims.getSubject() : "token");
  }
}
