package dev.ringway.core.tls;

import dev.ringway.testkit.Commands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Test credentials made by the real {@code openssl} command line, in the forms operators use. */
final class Keys {
  private Keys() {}

  static Path openssl(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Commands.run(Duration.ofSeconds(60), command).orThrow();
    return dir;
  }

  /** A PKCS#1 ({@code RSA PRIVATE KEY}) 2048-bit key. */
  static Path rsaPkcs1(Path dir) {
    Path key = dir.resolve("rsa-pkcs1.key");
    openssl(dir, "genrsa", "-traditional", "-out", key.toString(), "2048");
    return key;
  }

  /** A PKCS#8 ({@code PRIVATE KEY}) 2048-bit RSA key. */
  static Path rsaPkcs8(Path dir) {
    Path key = dir.resolve("rsa-pkcs8.key");
    openssl(
        dir,
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        key.toString());
    return key;
  }

  /** A SEC1 ({@code EC PARAMETERS} + {@code EC PRIVATE KEY}) P-256 key. */
  static Path ecSec1(Path dir) {
    Path key = dir.resolve("ec-sec1.key");
    openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", key.toString());
    return key;
  }

  /** A PKCS#8 P-256 key. */
  static Path ecPkcs8(Path dir) {
    Path key = dir.resolve("ec-pkcs8.key");
    openssl(
        dir,
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        key.toString());
    return key;
  }

  /** A self-signed certificate for {@code key}. */
  static Path certificate(Path dir, Path key, String name) {
    Path cert = dir.resolve(name + ".crt");
    openssl(
        dir,
        "req",
        "-x509",
        "-new",
        "-key",
        key.toString(),
        "-subj",
        "/CN=" + name,
        "-days",
        "2",
        "-out",
        cert.toString());
    return cert;
  }
}
