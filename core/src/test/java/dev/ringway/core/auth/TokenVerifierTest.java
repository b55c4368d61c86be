package dev.ringway.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.ringway.core.tls.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenVerifierTest {
  static KeyPair serverKey;
  static KeyPair otherKey;
  final ManualClock clock = new ManualClock();

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    serverKey = generator.generateKeyPair();
    otherKey = generator.generateKeyPair();
  }

  TokenVerifier verifier() {
    return new TokenVerifier((RSAPublicKey) serverKey.getPublic(), clock);
  }

  String rs256(KeyPair key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
    jwt.sign(new RSASSASigner(key.getPrivate()));
    return jwt.serialize();
  }

  JWTClaimsSet.Builder expiringIn(Duration duration) {
    return new JWTClaimsSet.Builder()
        .subject("device-42")
        .expirationTime(Date.from(clock.instant().plus(duration)));
  }

  @Test
  void aValidTokenIsGrantedToItsSubject() throws Exception {
    String token = rs256(serverKey, expiringIn(Duration.ofHours(1)).build());

    assertThat(verifier().verify(token)).isEqualTo(new AuthResult.Granted("device-42"));
  }

  @Test
  void anExpiredTokenIsDeniedOnceTheLeewayIsUsedUp() throws Exception {
    String token = rs256(serverKey, expiringIn(Duration.ofMinutes(5)).build());

    clock.advance(Duration.ofMinutes(5).plusSeconds(59));
    assertThat(verifier().verify(token).granted()).as("within leeway").isTrue();
    clock.advance(Duration.ofSeconds(2));
    assertThat(verifier().verify(token)).isEqualTo(AuthResult.denied(AuthResult.Reason.EXPIRED));
  }

  @Test
  void aTokenWithoutExpiryIsDenied() throws Exception {
    String token = rs256(serverKey, new JWTClaimsSet.Builder().subject("forever").build());

    assertThat(verifier().verify(token))
        .isEqualTo(AuthResult.denied(AuthResult.Reason.MISSING_EXPIRY));
  }

  @Test
  void aTokenNotYetValidIsDeniedUntilItsNotBeforeMinusLeeway() throws Exception {
    Instant notBefore = clock.instant().plus(Duration.ofMinutes(10));
    String token =
        rs256(
            serverKey, expiringIn(Duration.ofHours(1)).notBeforeTime(Date.from(notBefore)).build());

    assertThat(verifier().verify(token))
        .isEqualTo(AuthResult.denied(AuthResult.Reason.NOT_YET_VALID));
    clock.advance(Duration.ofMinutes(9));
    assertThat(verifier().verify(token).granted()).isTrue();
  }

  @Test
  void aTokenSignedByAnotherKeyIsDenied() throws Exception {
    String token = rs256(otherKey, expiringIn(Duration.ofHours(1)).build());

    assertThat(verifier().verify(token))
        .isEqualTo(AuthResult.denied(AuthResult.Reason.BAD_SIGNATURE));
  }

  @Test
  void aTamperedPayloadFailsTheSignature() throws Exception {
    String[] parts = rs256(serverKey, expiringIn(Duration.ofHours(1)).build()).split("\\.");
    String forged =
        rs256(otherKey, expiringIn(Duration.ofDays(365)).subject("admin").build()).split("\\.")[1];

    assertThat(verifier().verify(parts[0] + "." + forged + "." + parts[2]))
        .isEqualTo(AuthResult.denied(AuthResult.Reason.BAD_SIGNATURE));
  }

  @Test
  void hs256IsRejectedEvenWhenKeyedWithThePublicKey() throws Exception {
    // The classic algorithm-confusion attack: HMAC keyed with the server's public key bytes.
    SignedJWT jwt =
        new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), expiringIn(Duration.ofHours(1)).build());
    jwt.sign(new MACSigner(serverKey.getPublic().getEncoded()));

    assertThat(verifier().verify(jwt.serialize()))
        .isEqualTo(AuthResult.denied(AuthResult.Reason.WRONG_ALGORITHM));
  }

  @Test
  void unsignedAndMalformedTokensAreDenied() throws Exception {
    String unsigned = new PlainJWT(expiringIn(Duration.ofHours(1)).build()).serialize();

    for (String token : new String[] {unsigned, "", "abc", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30"}) {
      assertThat(verifier().verify(token))
          .as("token %s", token)
          .isEqualTo(AuthResult.denied(AuthResult.Reason.MALFORMED_TOKEN));
    }
  }

  @Test
  void theKeyIsReadFromAPemFile(@TempDir Path dir) throws Exception {
    Path pem = dir.resolve("token.pub");
    Files.writeString(pem, Pem.encode(serverKey.getPublic()));
    TokenVerifier fromFile = TokenVerifier.fromPem(pem, clock);

    assertThat(fromFile.verify(rs256(serverKey, expiringIn(Duration.ofHours(1)).build())).granted())
        .isTrue();
  }
}
