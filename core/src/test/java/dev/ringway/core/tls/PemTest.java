package dev.ringway.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {
  @TempDir Path dir;

  @Test
  void readsAPkcs1RsaKey() throws Exception {
    Path key = Keys.rsaPkcs1(dir);
    assertThat(Files.readString(key)).contains("BEGIN RSA PRIVATE KEY");

    assertThat(Pem.privateKey(key)).isInstanceOf(RSAPrivateKey.class);
  }

  @Test
  void readsAPkcs8RsaKey() throws Exception {
    Path key = Keys.rsaPkcs8(dir);
    assertThat(Files.readString(key)).contains("BEGIN PRIVATE KEY");

    assertThat(Pem.privateKey(key)).isInstanceOf(RSAPrivateKey.class);
  }

  @Test
  void readsASec1EcKeyWithItsParametersBlock() throws Exception {
    Path key = Keys.ecSec1(dir);
    assertThat(Files.readString(key))
        .contains("BEGIN EC PARAMETERS")
        .contains("BEGIN EC PRIVATE KEY");

    assertThat(Pem.privateKey(key)).isInstanceOf(ECPrivateKey.class);
  }

  @Test
  void readsAPkcs8EcKey() throws Exception {
    assertThat(Pem.privateKey(Keys.ecPkcs8(dir))).isInstanceOf(ECPrivateKey.class);
  }

  @Test
  void readsACertificateChainInFileOrder() throws Exception {
    Path leaf = Keys.certificate(dir, Keys.ecPkcs8(dir), "leaf");
    Path root = Keys.certificate(dir, Keys.rsaPkcs8(dir), "root");
    Path chain = dir.resolve("chain.pem");
    Files.writeString(chain, Files.readString(leaf) + Files.readString(root));

    assertThat(Pem.certificates(chain))
        .extracting(c -> c.getSubjectX500Principal().getName())
        .containsExactly("CN=leaf", "CN=root");
  }

  @Test
  void aMissingFileIsNamedInTheError() {
    Path missing = dir.resolve("nowhere.pem");

    assertThatThrownBy(() -> Pem.certificates(missing))
        .isInstanceOf(PemException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("no such file");
  }

  @Test
  void aCertificateFileIsNotAKey() throws Exception {
    Path cert = Keys.certificate(dir, Keys.ecPkcs8(dir), "only-cert");

    assertThatThrownBy(() -> Pem.privateKey(cert))
        .isInstanceOf(PemException.class)
        .hasMessageContaining(cert.toString())
        .hasMessageContaining("no PRIVATE KEY");
  }

  @Test
  void aKeyFileHoldsNoCertificate() throws Exception {
    Path key = Keys.ecPkcs8(dir);

    assertThatThrownBy(() -> Pem.certificates(key)).hasMessageContaining("no CERTIFICATE");
  }

  @Test
  void encryptedKeysAreRefusedByName() throws Exception {
    Path key = dir.resolve("encrypted.key");
    Keys.openssl(
        dir,
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-aes256",
        "-pass",
        "pass:secret",
        "-out",
        key.toString());

    assertThatThrownBy(() -> Pem.privateKey(key)).hasMessageContaining("encrypted");
  }

  @Test
  void selfSignedIdentityRoundTripsThroughPemFiles() throws Exception {
    SelfSigned generated = SelfSigned.generate("vpn.example", List.of("vpn.example", "192.0.2.7"));
    Path cert = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    generated.write(cert, key);

    assertThat(Pem.certificates(cert)).containsExactly(generated.certificate());
    assertThat(Pem.privateKey(key).getEncoded()).isEqualTo(generated.privateKey().getEncoded());
    assertThat(Files.getPosixFilePermissions(key))
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    assertThat(generated.certificate().getSubjectAlternativeNames())
        .extracting(san -> (Object) san.get(1))
        .containsExactly("vpn.example", "192.0.2.7");
  }
}
