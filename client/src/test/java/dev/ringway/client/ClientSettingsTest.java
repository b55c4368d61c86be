package dev.ringway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringway.config.Config;
import dev.ringway.config.ConfigLoader;
import dev.ringway.config.ConfigOutcome;
import dev.ringway.config.Role;
import dev.ringway.core.tls.Cipher;
import dev.ringway.core.tls.Transport;
import dev.ringway.core.tls.TrustPolicy;
import dev.ringway.core.wire.AuthRequest;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From a validated client configuration and the files it names to what the client runs with. */
class ClientSettingsTest {
  @TempDir static Path dir;
  static TestPki pki;

  @BeforeAll
  static void files() throws Exception {
    pki = new TestPki(dir);
  }

  @Test
  void aPasswordClientSendsTheFirstLineOfItsPasswordFile() throws Exception {
    Files.writeString(dir.resolve("two-lines.pass"), "secret\r\nsecond line\n");

    ClientSettings settings =
        settings(
            Map.of(
                "auth.user",
                "alice",
                "auth.passwordFile",
                dir.resolve("two-lines.pass").toString()));

    assertThat(settings.credentials()).isEqualTo(new AuthRequest.UserPass("alice", "secret"));
    assertThat(settings.trust()).isInstanceOf(TrustPolicy.CertificateAuthorities.class);
    assertThat(settings.insecure()).isFalse();
    assertThat(settings.server()).isEqualTo(new InetSocketAddress("127.0.0.1", 27690));
  }

  @Test
  void modeTcpRunsOverATlsStreamWithTheTcpSocketBuffer() throws Exception {
    Map<String, String> sets = new LinkedHashMap<>(password());
    sets.put("mode", "tcp");
    sets.put("io.tcp.socketBuffer", "123456");

    ClientSettings settings = settings(sets);

    assertThat(settings.transport()).isEqualTo(Transport.STREAM);
    assertThat(settings.tcpSocketBuffer()).isEqualTo(123456);
  }

  @Test
  void theClientOffersAes256GcmUnlessToldChaCha20() throws Exception {
    Map<String, String> sets = new LinkedHashMap<>(password());
    assertThat(settings(sets).cipher()).isEqualTo(Cipher.AES_256_GCM);

    sets.put("tls.cipher", "chacha20");
    assertThat(settings(sets).cipher()).isEqualTo(Cipher.CHACHA20_POLY1305);
  }

  @Test
  void modeUdpIsTheDefaultAndRunsOverDatagrams() throws Exception {
    assertThat(settings(password()).transport()).isEqualTo(Transport.DATAGRAM);
  }

  @Test
  void aTokenClientSendsTheTokenWithoutItsLineEnd() throws Exception {
    ClientSettings settings = settings(Map.of("auth.tokenFile", pki.token.toString()));

    assertThat(settings.credentials())
        .isEqualTo(new AuthRequest.Token(Files.readString(pki.token).strip()));
  }

  @Test
  void insecureTrustsAnyServerAndSaysSo() throws Exception {
    Map<String, String> sets = new LinkedHashMap<>(password());
    sets.put("tls.insecure", "true");
    sets.put("tls.ca", null);
    sets.put("mode", "tcp");

    ClientSettings settings = settings(sets);

    assertThat(settings.trust()).isInstanceOf(TrustPolicy.Insecure.class);
    assertThat(settings.insecure()).isTrue();
  }

  @Test
  void insecureIsRefusedOverUdpWhereDtlsAlwaysValidates() {
    Map<String, String> sets = new LinkedHashMap<>(password());
    sets.put("tls.insecure", "true");
    sets.put("tls.ca", null);

    assertThatThrownBy(() -> settings(sets))
        .isInstanceOf(ClientSettings.Invalid.class)
        .hasMessageContaining("tls.insecure");
  }

  @Test
  void keepaliveBoundsBothTheTunnelAndEachAttemptToReachOnline() throws Exception {
    Map<String, String> sets = new LinkedHashMap<>(password());
    sets.put("keepalive.interval", "5s");
    sets.put("keepalive.timeout", "20s");

    ClientSettings settings = settings(sets);

    assertThat(settings.timeouts().keepaliveInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.timeouts().keepaliveTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(settings.timeouts().stale()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void aCaFileThatHoldsNoCertificateIsNamed() throws Exception {
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
    Map<String, String> sets = new LinkedHashMap<>(password());
    sets.put("tls.ca", notPem.toString());

    assertThatThrownBy(() -> settings(sets))
        .isInstanceOf(ClientSettings.Invalid.class)
        .hasMessageContaining("tls.ca: " + notPem);
  }

  @Test
  void aPasswordLongerThanLightwayCarriesIsRefused() throws Exception {
    Path longPassword = Files.writeString(dir.resolve("long.pass"), "x".repeat(51) + "\n");

    assertThatThrownBy(() ->
            settings(Map.of("auth.user", "alice", "auth.passwordFile", longPassword.toString())))
        .isInstanceOf(ClientSettings.Invalid.class)
        .hasMessageContaining("auth: ")
        .hasMessageContaining("password");
  }

  private static Map<String, String> password() {
    return Map.of("auth.user", "alice", "auth.passwordFile", pki.password.toString());
  }

  private static ClientSettings settings(Map<String, String> overrides) throws Exception {
    Map<String, String> sets = new LinkedHashMap<>();
    sets.put("server", "127.0.0.1:27690");
    sets.put("tls.ca", pki.certificate.toString());
    sets.putAll(overrides);
    sets.values().removeIf(value -> value == null);
    Config config =
        switch (ConfigLoader.load(null, sets, Role.CLIENT)) {
          case ConfigOutcome.Valid valid -> valid.config();
          case ConfigOutcome.Invalid invalid -> throw new AssertionError(invalid.errors());
        };
    return ClientSettings.from(config);
  }
}
