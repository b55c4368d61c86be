package dev.ringway.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringway.testkit.Commands;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
  final ManualClock clock = new ManualClock();
  final InetAddress peer = InetAddress.ofLiteral("192.0.2.10");

  Authenticator withUsers() throws Exception {
    String hash = Commands.run("openssl", "passwd", "-6", "secret").orThrow().output().strip();
    return new Authenticator(
        Optional.of(UserDatabase.parse("users", "alice:" + hash)),
        Optional.empty(),
        FailureRateLimiter.standard(clock));
  }

  @Test
  void aRateLimitedAddressIsRefusedEvenWithTheRightPassword() throws Exception {
    Authenticator auth = withUsers();
    for (int i = 0; i < 5; i++) {
      assertThat(auth.password(peer, "alice", "guess" + i).granted()).isFalse();
    }

    assertThat(auth.password(peer, "alice", "secret"))
        .isEqualTo(AuthResult.denied(AuthResult.Reason.RATE_LIMITED));
    assertThat(auth.password(InetAddress.ofLiteral("192.0.2.11"), "alice", "secret").granted())
        .isTrue();
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
