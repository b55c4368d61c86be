package dev.ringway.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ringway.core.wire.AuthRequest;
import dev.ringway.core.wire.FrameCodec;
import dev.ringway.core.wire.ProtocolVersion;
import dev.ringway.testkit.Commands;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Date;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
  final ManualClock clock = new ManualClock();
  final InetAddress peer = InetAddress.ofLiteral("192.0.2.10");

  Authenticator withUsers() throws Exception {
    String alice = Commands.run("openssl", "passwd", "-6", "secret").orThrow().output().strip();
    String mallory = Commands.run("openssl", "passwd", "-6", "hunter2").orThrow().output().strip();
    return new Authenticator(
        Optional.of(UserDatabase.parse("users", "alice:" + alice + "\nmallory:" + mallory)),
        Optional.empty(),
        FailureRateLimiter.standard(clock));
  }

  @Test
  void aUserUnderAttackIsRefusedEvenWithTheRightPassword() throws Exception {
    Authenticator auth = withUsers();
    for (int i = 0; i < 5; i++) {
      assertThat(auth.password(peer, "alice", "guess" + i).granted()).isFalse();
    }

    assertThat(auth.password(peer, "alice", "secret"))
        .isEqualTo(AuthResult.denied(AuthResult.Reason.RATE_LIMITED));
    clock.advance(FailureRateLimiter.PER_USER.interval());
    assertThat(auth.password(InetAddress.ofLiteral("203.0.113.5"), "alice", "secret").granted())
        .isTrue();
  }

  @Test
  void aValidLoginInterleavedWithGuessesDoesNotResetTheLimit() throws Exception {
    // mallory holds an account and logs in between guesses at alice's password.
    Authenticator auth = withUsers();
    int guessesChecked = 0;
    for (int i = 0; i < 30; i++) {
      if (!auth.password(peer, "alice", "guess" + i).equals(rateLimited())) {
        guessesChecked++;
      }
      assertThat(auth.password(peer, "mallory", "hunter2").granted()).isTrue();
    }
    assertThat(guessesChecked).isEqualTo(FailureRateLimiter.PER_USER.burst());
  }

  @Test
  void guessesAtManyUsersFromOnePrefixAreLimited() throws Exception {
    Authenticator auth = withUsers();
    int checked = 0;
    for (int i = 0; i < 100; i++) {
      InetAddress source = InetAddress.ofLiteral("192.0.2." + (i + 1));
      if (!auth.password(source, "user" + i, "guess").equals(rateLimited())) {
        checked++;
      }
    }
    assertThat(checked).isEqualTo(FailureRateLimiter.PER_PREFIX.burst());
    assertThat(auth.password(InetAddress.ofLiteral("198.51.100.1"), "alice", "secret").granted())
        .isTrue();
  }

  @Test
  void aVersionedTokenFromTheWireIsVerifiedLikeAToken() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair key = generator.generateKeyPair();
    Authenticator auth =
        new Authenticator(
            Optional.empty(),
            Optional.of(new TokenVerifier((RSAPublicKey) key.getPublic(), clock)),
            FailureRateLimiter.standard(clock));
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.RS256),
            new JWTClaimsSet.Builder()
                .subject("device-7")
                .expirationTime(Date.from(clock.instant().plus(Duration.ofHours(1))))
                .build());
    jwt.sign(new RSASSASigner(key.getPrivate()));
    byte[] token = jwt.serialize().getBytes(StandardCharsets.US_ASCII);
    // Digest §2.4 / vector F6: kind 4, method 3, version 1.3, u16 length, token.
    ByteBuffer frame = ByteBuffer.allocate(6 + token.length);
    frame.put(HexFormat.of().parseHex("04030103")).putShort((short) token.length).put(token).flip();

    AuthRequest request = (AuthRequest) FrameCodec.decode(frame);

    assertThat(request).isInstanceOf(AuthRequest.VersionedToken.class);
    assertThat(((AuthRequest.VersionedToken) request).version()).isEqualTo(ProtocolVersion.V1_3);
    assertThat(auth.authenticate(peer, request)).isEqualTo(new AuthResult.Granted("device-7"));
    clock.advance(Duration.ofHours(2));
    assertThat(auth.authenticate(peer, request))
        .isEqualTo(AuthResult.denied(AuthResult.Reason.EXPIRED));
  }

  @Test
  void theDigestsVersionedTokenVectorCarriesVersion13AndItsToken() throws Exception {
    AuthRequest request =
        (AuthRequest)
            FrameCodec.decode(ByteBuffer.wrap(HexFormat.of().parseHex("040301030005746f6b656e")));
    assertThat(request).isEqualTo(new AuthRequest.VersionedToken(ProtocolVersion.V1_3, "token"));
    // Not a JWT: denied like a malformed Token, and counted against the prefix.
    Authenticator auth =
        new Authenticator(
            Optional.empty(),
            Optional.of(new TokenVerifier(rsaPublicKey(), clock)),
            FailureRateLimiter.standard(clock));
    assertThat(auth.authenticate(peer, request))
        .isEqualTo(AuthResult.denied(AuthResult.Reason.MALFORMED_TOKEN));
  }

  @Test
  void customCallbackIsDenied() throws Exception {
    assertThat(withUsers().authenticate(peer, new AuthRequest.CustomCallback(new byte[] {1})))
        .isEqualTo(AuthResult.denied(AuthResult.Reason.METHOD_UNAVAILABLE));
  }

  private static AuthResult rateLimited() {
    return AuthResult.denied(AuthResult.Reason.RATE_LIMITED);
  }

  private static RSAPublicKey rsaPublicKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return (RSAPublicKey) generator.generateKeyPair().getPublic();
  }

  @Test
  void aMethodWithoutItsBackendIsDenied() throws Exception {
    assertThat(withUsers().token(peer, "eyJ.e30.x"))
        .isEqualTo(AuthResult.denied(AuthResult.Reason.METHOD_UNAVAILABLE));
  }

  @Test
  void aServerWithNoBackendAtAllIsAConfigurationError() {
    assertThatThrownBy(() ->
            new Authenticator(
                Optional.empty(), Optional.empty(), FailureRateLimiter.standard(clock)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
