package dev.ringway.server;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.ringway.core.tls.SelfSigned;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a server running on its embedded defaults generates on first start, in {@code stateDir}: a
 * self-signed certificate and key (which clients also use as their CA file) and a demo user with a
 * random password. Later starts reuse them.
 */
final class StateDirectory {
  private static final Logger log = LoggerFactory.getLogger(StateDirectory.class);
  static final String DEMO_USER = "demo";

  private final Path dir;

  StateDirectory(Path dir) {
    this.dir = dir;
  }

  Path certificate() {
    return dir.resolve("server.crt");
  }

  Path key() {
    return dir.resolve("server.key");
  }

  Path users() {
    return dir.resolve("users.htpasswd");
  }

  Path demoPassword() {
    return dir.resolve("demo.pass");
  }

  /** Creates the certificate and key unless both exist. */
  void ensureCertificate() throws IOException {
    if (Files.exists(certificate()) && Files.exists(key())) {
      return;
    }
    createDirectory();
    SelfSigned.generate("ringway", List.of("localhost", "127.0.0.1")).write(certificate(), key());
    log.info("generated a self-signed certificate: {} (key {})", certificate(), key());
  }

  /** Creates the demo user (user file and password file, owner-only) unless both exist. */
  void ensureDemoUser() throws IOException {
    if (Files.exists(users()) && Files.exists(demoPassword())) {
      return;
    }
    createDirectory();
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    String password = HexFormat.of().formatHex(random);
    String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(10, password.toCharArray());
    writeOwnerOnly(demoPassword(), password + "\n");
    writeOwnerOnly(users(), DEMO_USER + ":" + hash + "\n");
    log.info(
        "generated demo user '{}': users in {}, password in {}",
        DEMO_USER,
        users(),
        demoPassword());
  }

  private void createDirectory() throws IOException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IOException(
          "cannot create the state directory "
              + dir
              + " ("
              + e.getMessage()
              + "); set stateDir to a writable directory, e.g. --set stateDir=$HOME/.local/state/ringway",
          e);
    }
  }

  private static void writeOwnerOnly(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
