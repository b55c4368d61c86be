package dev.ringway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state directory and its files are used only when nobody but the server's user could have
 * written them, and keys are never written through a symlink.
 */
class StateDirectoryTest {
  @TempDir Path tmp;

  @Test
  void aMissingDirectoryIsCreatedOwnerOnlyWithAnOwnerOnlyKey() throws Exception {
    StateDirectory state = new StateDirectory(tmp.resolve("a/b/state"));
    state.ensureCertificate();
    state.ensureDemoUser();

    assertThat(mode(tmp.resolve("a/b/state"))).isEqualTo("rwx------");
    assertThat(mode(state.key())).isEqualTo("rw-------");
    assertThat(mode(state.users())).isEqualTo("rw-------");
    assertThat(mode(state.demoPassword())).isEqualTo("rw-------");
    assertThat(mode(state.certificate())).isEqualTo("rw-r--r--");
  }

  @Test
  void aSecondStartReusesTheFiles() throws Exception {
    StateDirectory state = new StateDirectory(tmp.resolve("state"));
    state.ensureCertificate();
    state.ensureDemoUser();
    String key = Files.readString(state.key());
    String password = Files.readString(state.demoPassword());

    state.ensureCertificate();
    state.ensureDemoUser();

    assertThat(Files.readString(state.key())).isEqualTo(key);
    assertThat(Files.readString(state.demoPassword())).isEqualTo(password);
  }

  @Test
  void aGroupWritableDirectoryIsRefused() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("state"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));

    assertThatThrownBy(() -> new StateDirectory(dir).ensureCertificate())
        .isInstanceOf(IOException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("writable by group or others")
        .hasMessageContaining("chmod 700");
    assertThat(Files.exists(dir.resolve("server.key"))).isFalse();
  }

  @Test
  void aDirectoryOwnedBySomeoneElseIsRefused() throws Exception {
    Path dir;
    if (isRoot()) {
      dir = Files.createDirectory(tmp.resolve("state"));
      Files.setAttribute(dir, "unix:uid", 65534);
    } else {
      dir = Path.of("/");
    }

    assertThatThrownBy(() -> new StateDirectory(dir).ensureDemoUser())
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("is owned by uid");
  }

  @Test
  void aSymlinkedKeyIsRefusedAndItsTargetUntouched() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("state"));
    Path victim = Files.writeString(tmp.resolve("victim"), "precious\n");
    Files.createSymbolicLink(dir.resolve("server.key"), victim);

    assertThatThrownBy(() -> new StateDirectory(dir).ensureCertificate())
        .hasMessageContaining(dir.resolve("server.key").toString())
        .hasMessageContaining("symlink");
    assertThat(Files.readString(victim)).isEqualTo("precious\n");
    assertThat(Files.isSymbolicLink(dir.resolve("server.key"))).isTrue();
  }

  @Test
  void aDanglingSymlinkedPasswordFileIsRefusedAndItsTargetNotCreated() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("state"));
    Path planted = tmp.resolve("planted");
    Files.createSymbolicLink(dir.resolve("demo.pass"), planted);

    assertThatThrownBy(() -> new StateDirectory(dir).ensureDemoUser())
        .hasMessageContaining("symlink");
    assertThat(Files.exists(planted, LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void aKeyReadableByOthersIsRefused() throws Exception {
    StateDirectory state = new StateDirectory(tmp.resolve("state"));
    state.ensureCertificate();
    Files.setPosixFilePermissions(state.key(), PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(state::ensureCertificate)
        .hasMessageContaining(state.key().toString())
        .hasMessageContaining("chmod 600");
  }

  @Test
  void aSymlinkedDirectoryOwnedBySomeoneElseIsRefused() throws Exception {
    Path real = Files.createDirectory(tmp.resolve("real"));
    Path link = Files.createSymbolicLink(tmp.resolve("state"), real);
    if (!isRoot()) {
      // Only root can give a link away; an unprivileged run checks that a link of our own works.
      new StateDirectory(link).ensureCertificate();
      assertThat(Files.exists(real.resolve("server.key"))).isTrue();
      return;
    }
    Files.setAttribute(link, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);

    assertThatThrownBy(() -> new StateDirectory(link).ensureCertificate())
        .hasMessageContaining("is a symlink owned by uid 65534");
    assertThat(Files.exists(real.resolve("server.key"))).isFalse();
  }

  private static boolean isRoot() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self/status"), "unix:uid") == 0;
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
