package dev.ringway.testkit.wolfssl;

import dev.ringway.testkit.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates made with openssl for a test (wolfSSL's bundled ones have expired): a CA, a server
 * certificate it issued for one DNS name, and a second CA that issued nothing the server presents.
 * All keys are P-256, all certificates valid for two days.
 *
 * @param ca the CA certificate to trust
 * @param certificate the server's certificate (leaf only)
 * @param key the server's private key (PEM)
 * @param otherCa a CA certificate that did not issue {@code certificate}
 */
public record TestPki(Path ca, Path certificate, Path key, Path otherCa) {
  /** Issues everything into {@code directory} for a server called {@code serverName}. */
  public static TestPki issue(Path directory, String serverName) {
    openssl(directory, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key");
    openssl(
        directory,
        "req",
        "-x509",
        "-new",
        "-key",
        "ca.key",
        "-days",
        "2",
        "-subj",
        "/CN=Ringway test CA",
        "-out",
        "ca.crt");
    openssl(directory, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "server.key");
    openssl(
        directory,
        "req",
        "-new",
        "-key",
        "server.key",
        "-subj",
        "/CN=" + serverName,
        "-out",
        "server.csr");
    try {
      Files.writeString(
          directory.resolve("server.ext"),
          "subjectAltName=DNS:" + serverName + "\nbasicConstraints=critical,CA:FALSE\n");
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the certificate extensions", e);
    }
    openssl(
        directory,
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        "-out",
        "server.crt");
    openssl(directory, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "other.key");
    openssl(
        directory,
        "req",
        "-x509",
        "-new",
        "-key",
        "other.key",
        "-days",
        "2",
        "-subj",
        "/CN=Other test CA",
        "-out",
        "other.crt");
    return new TestPki(
        directory.resolve("ca.crt"),
        directory.resolve("server.crt"),
        directory.resolve("server.key"),
        directory.resolve("other.crt"));
  }

  private static void openssl(Path directory, String... arguments) {
    List<String> command =
        new ArrayList<>(
            List.of("sh", "-c", "cd \"$0\" && exec openssl \"$@\"", directory.toString()));
    command.addAll(List.of(arguments));
    Commands.run(Duration.ofSeconds(30), command).orThrow();
  }
}
