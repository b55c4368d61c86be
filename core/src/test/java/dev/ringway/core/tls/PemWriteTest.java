package dev.ringway.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files are written without following a symlink planted where they go. */
class PemWriteTest {
  @TempDir Path dir;

  @Test
  void aSymlinkAtTheKeyPathIsReplacedAndItsTargetUntouched() throws Exception {
    Path victim = Files.writeString(dir.resolve("victim"), "precious\n");
    Path key = dir.resolve("server.key");
    Files.createSymbolicLink(key, victim);
    SelfSigned identity = SelfSigned.generate("ringway", List.of("localhost"));

    identity.write(dir.resolve("server.crt"), key);

    assertThat(Files.readString(victim)).isEqualTo("precious\n");
    assertThat(Files.isSymbolicLink(key)).isFalse();
    assertThat(Pem.privateKey(key).getEncoded()).isEqualTo(identity.privateKey().getEncoded());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
  }

  @Test
  void aDanglingSymlinkAtTheKeyPathDoesNotCreateItsTarget() throws Exception {
    Path target = dir.resolve("elsewhere").resolve("planted");
    Files.createDirectory(target.getParent());
    Path key = dir.resolve("server.key");
    Files.createSymbolicLink(key, target);

    Pem.writePrivate(key, "-----BEGIN PRIVATE KEY-----\n");

    assertThat(Files.exists(target, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void aSecretIsOwnerOnlyEvenWhenItReplacesAReadableFile() throws Exception {
    Path key = Files.writeString(dir.resolve("server.key"), "old");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-rw-"));

    Pem.writePrivate(key, "new");

    assertThat(Files.readString(key, StandardCharsets.UTF_8)).isEqualTo("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
  }

  @Test
  void aCertificateIsWorldReadableAndNoTemporaryFileIsLeft() throws Exception {
    Path cert = dir.resolve("server.crt");
    Pem.writePublic(cert, "cert");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cert)))
        .isEqualTo("rw-r--r--");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(cert);
    }
  }
}
