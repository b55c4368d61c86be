package dev.ringway.server;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.ringway.core.tls.Pem;
import dev.ringway.core.tls.SelfSigned;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a server running on its embedded defaults generates on first start, in {@code stateDir}: a
 * self-signed certificate and key (which clients also use as their CA file) and a demo user with a
 * random password. Later starts reuse them.
 *
 * <p>Whoever can write the directory or those files can replace the server's key or its users, so
 * both are checked before use: the directory and every file must belong to the server's own user
 * and be writable by nobody else, the secrets must be readable by nobody else, and none of the
 * files may be a symlink. A directory that does not exist is created 0700. Files are written by
 * {@link Pem#writePrivate}: new, 0600, renamed into place.
 */
final class StateDirectory {
  private static final Logger log = LoggerFactory.getLogger(StateDirectory.class);
  static final String DEMO_USER = "demo";

  private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS =
      EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
  private static final Set<PosixFilePermission> ACCESSIBLE_BY_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

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

  /** Creates the certificate and key unless both exist; checks them and the directory first. */
  void ensureCertificate() throws IOException {
    prepareDirectory();
    boolean present = checkFile(certificate(), WRITABLE_BY_OTHERS, "644");
    present &= checkFile(key(), ACCESSIBLE_BY_OTHERS, "600");
    if (present) {
      return;
    }
    SelfSigned.generate("ringway", List.of("localhost", "127.0.0.1")).write(certificate(), key());
    log.info("generated a self-signed certificate: {} (key {})", certificate(), key());
  }

  /** Creates the demo user (user file and password file, owner-only) unless both exist. */
  void ensureDemoUser() throws IOException {
    prepareDirectory();
    boolean present = checkFile(users(), ACCESSIBLE_BY_OTHERS, "600");
    present &= checkFile(demoPassword(), ACCESSIBLE_BY_OTHERS, "600");
    if (present) {
      return;
    }
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    String password = HexFormat.of().formatHex(random);
    String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(10, password.toCharArray());
    Pem.writePrivate(demoPassword(), password + "\n");
    Pem.writePrivate(users(), DEMO_USER + ":" + hash + "\n");
    log.info(
        "generated demo user '{}': users in {}, password in {}",
        DEMO_USER,
        users(),
        demoPassword());
  }

  /** Creates the directory (0700) if missing, then checks who owns and may write it. */
  private void prepareDirectory() throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.createDirectory(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (IOException e) {
        throw new IOException(
            "cannot create the state directory "
                + dir
                + " ("
                + e.getMessage()
                + "); set stateDir to a directory of your own, e.g. --set"
                + " stateDir=$HOME/.local/state/ringway",
            e);
      }
    }
    int me = ownUid();
    if (Files.isSymbolicLink(dir)) {
      // A link is only as trustworthy as whoever could have put it there.
      int linkOwner = uid(dir, LinkOption.NOFOLLOW_LINKS);
      if (linkOwner != me && linkOwner != 0) {
        throw refused(
            dir,
            "is a symlink owned by uid " + linkOwner,
            "remove it and point stateDir at a real directory");
      }
    }
    PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class);
    if (!attributes.isDirectory()) {
      throw refused(dir, "is not a directory", "set stateDir to a directory");
    }
    int owner = uid(dir);
    if (owner != me) {
      throw refused(
          dir,
          "is owned by uid " + owner + ", not by this server's uid " + me,
          "chown it to the user the server runs as, or use another stateDir");
    }
    if (attributes.permissions().stream().anyMatch(WRITABLE_BY_OTHERS::contains)) {
      throw refused(
          dir, "is writable by group or others (" + mode(attributes) + ")", "chmod 700 " + dir);
    }
  }

  /**
   * Checks an existing file of the state directory; returns false if it does not exist. It must be
   * a regular file, not a symlink, owned by this server's user, without any of {@code forbidden}.
   */
  private boolean checkFile(Path file, Set<PosixFilePermission> forbidden, String mode)
      throws IOException {
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return false;
    }
    if (attributes.isSymbolicLink()) {
      throw refused(
          file, "is a symlink", "remove it; the server writes its files itself, never via links");
    }
    if (!attributes.isRegularFile()) {
      throw refused(file, "is not a regular file", "remove it");
    }
    int owner = uid(file, LinkOption.NOFOLLOW_LINKS);
    int me = ownUid();
    if (owner != me) {
      throw refused(
          file,
          "is owned by uid " + owner + ", not by this server's uid " + me,
          "remove it to have it generated again, or chown it to the server's user");
    }
    if (attributes.permissions().stream().anyMatch(forbidden::contains)) {
      throw refused(
          file,
          "is open to group or others (" + mode(attributes) + ")",
          "chmod " + mode + " " + file + ", or remove it to have it generated again");
    }
    return true;
  }

  private static IOException refused(Path path, String problem, String fix) {
    return new IOException("state " + path + " " + problem + "; " + fix);
  }

  private static String mode(PosixFileAttributes attributes) {
    return PosixFilePermissions.toString(attributes.permissions());
  }

  private static int uid(Path path, LinkOption... options) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:uid", options);
  }

  /**
   * The effective uid of this process, from {@code /proc/self/status} (not the owner of {@code
   * /proc/self}, which is root for a process that is not dumpable).
   */
  private static int ownUid() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Uid:")) {
        return Integer.parseInt(line.substring(4).strip().split("\\s+")[1]);
      }
    }
    throw new IOException("no Uid line in /proc/self/status");
  }
}
