package dev.ringway.client;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ringway.core.auth.Authenticator;
import dev.ringway.core.auth.FailureRateLimiter;
import dev.ringway.core.auth.TokenVerifier;
import dev.ringway.core.auth.UserDatabase;
import dev.ringway.core.tls.SelfSigned;
import dev.ringway.core.tls.TlsEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The credentials both ends of a test need, written to {@code dir}: a self-signed server
 * certificate (the client's CA file), a user database with alice/secret, and an RS256 token key.
 */
final class TestPki {
  /** "secret" hashed with SHA-512-crypt (openssl passwd -6 -salt ringway secret). */
  private static final String ALICE =
      "alice:$6$ringway$mQhdk7/Ua5CEtlXTW0m5kl.RqsfsbWJ9reO6A0T8gJcRWUpyahKfHS8GAFToplYyjUN0rqwsJajwyBXj3QKes1";

  final Path certificate;
  final Path key;
  final Path users;
  final Path password;
  final Path wrongPassword;
  final Path token;
  final KeyPair tokenKey;

  TestPki(Path dir) throws Exception {
    certificate = dir.resolve("server.crt");
    key = dir.resolve("server.key");
    SelfSigned.generate("ringway.test", List.of("ringway.test", "127.0.0.1"))
        .write(certificate, key);
    users = Files.writeString(dir.resolve("users"), ALICE + "\n");
    password = Files.writeString(dir.resolve("alice.pass"), "secret\n");
    wrongPassword = Files.writeString(dir.resolve("wrong.pass"), "not-the-secret\n");
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    tokenKey = generator.generateKeyPair();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.RS256),
            new JWTClaimsSet.Builder()
                .subject("device-7")
                .expirationTime(
                    Date.from(InstantSource.system().instant().plus(Duration.ofHours(1))))
                .build());
    jwt.sign(new RSASSASigner(tokenKey.getPrivate()));
    token = Files.writeString(dir.resolve("device.jwt"), jwt.serialize() + "\n");
  }

  TlsEndpoint serverTls() throws Exception {
    return TlsEndpoint.server(certificate, key);
  }

  Authenticator authenticator() throws Exception {
    InstantSource clock = InstantSource.system();
    return new Authenticator(
        Optional.of(UserDatabase.loadIgnoringPermissions(users)),
        Optional.of(new TokenVerifier((RSAPublicKey) tokenKey.getPublic(), clock)),
        FailureRateLimiter.standard(clock));
  }
}
