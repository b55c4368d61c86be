package dev.ringway.server.jmx;

import dev.ringway.config.Config;
import dev.ringway.core.auth.AuthResult;
import dev.ringway.core.auth.UserDatabase;
import dev.ringway.core.auth.UserDatabaseException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.remote.JMXAuthenticator;
import javax.management.remote.JMXPrincipal;
import javax.security.auth.Subject;

/**
 * Checks JMX logins against {@code jmx.users}: a plain {@code password} or a {@code passwordHash}
 * (bcrypt, sha-crypt), and gives the subject its role. An unknown user and a wrong password get the
 * same answer after the same work, so neither the answer nor its timing reveals user names, as long
 * as all users are of one kind: with hashes, an unknown name is checked against a decoy — the hash
 * of the first user that has one, result ignored — so it costs what a real check costs when the
 * hashes have the same cost; with plain passwords, every check compares two SHA-256 digests.
 * (Checking a plain-password login against the decoy as well would hide a mixed set too, but would
 * make every such login as slow as a hash check.) Guessing is bounded by a {@link LoginLimiter}.
 */
final class JmxLogins implements JMXAuthenticator {

  /** The role a JMX subject holds, beside its {@link JMXPrincipal}. */
  record RolePrincipal(Config.JmxRole role) implements Principal {
    @Override
    public String getName() {
      return role.toString();
    }
  }

  private final Map<String, Config.JmxUser> users = new HashMap<>();
  private final UserDatabase hashed;
  private final String decoy;
  private final LoginLimiter limiter;

  JmxLogins(List<Config.JmxUser> configured, LoginLimiter limiter) throws IOException {
    this.limiter = limiter;
    StringBuilder hashes = new StringBuilder();
    String firstHashed = null;
    for (Config.JmxUser user : configured) {
      users.put(user.name(), user);
      if (user.passwordHash() != null) {
        hashes.append(user.name()).append(':').append(user.passwordHash()).append('\n');
        firstHashed = firstHashed == null ? user.name() : firstHashed;
      }
    }
    hashed = hashes.isEmpty() ? null : hashDatabase(hashes.toString());
    decoy = firstHashed;
  }

  LoginLimiter limiter() {
    return limiter;
  }

  /**
   * core verifies crypt(3) hashes only through a {@link UserDatabase} loaded from a file, so the
   * hashes from the configuration pass through a private temporary file.
   */
  private static UserDatabase hashDatabase(String text) throws IOException {
    Path file =
        Files.createTempFile(
            "ringway-jmx-users",
            ".htpasswd",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(file, text);
      return UserDatabase.load(file);
    } catch (UserDatabaseException e) {
      throw new IOException("jmx.users: " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Override
  public Subject authenticate(Object credentials) {
    if (!(credentials instanceof String[] pair) || pair.length != 2) {
      throw new SecurityException("credentials required: a user name and a password");
    }
    String name = pair[0];
    String password = pair[1] == null ? "" : pair[1];
    InetAddress source = ConnectorSockets.currentPeer().orElse(null);
    LoginLimiter.Refusal refusal = limiter.check(source, name);
    if (refusal != null) {
      throw new SecurityException(refusal.message());
    }
    Config.JmxUser user = name == null ? null : users.get(name);
    if (!matches(user, password)) {
      limiter.failed(source, name);
      throw new SecurityException("wrong user name or password");
    }
    return new Subject(
        true, Set.of(new JMXPrincipal(name), new RolePrincipal(user.role())), Set.of(), Set.of());
  }

  private boolean matches(Config.JmxUser user, String password) {
    if (user == null || user.password() != null) {
      if (user == null && decoy != null) {
        hashed.authenticate(decoy, password);
      }
      // Digests have one length, so the comparison takes as long whatever the lengths.
      boolean equal =
          MessageDigest.isEqual(sha256(user == null ? "" : user.password()), sha256(password));
      return user != null && equal;
    }
    return hashed.authenticate(user.name(), password) instanceof AuthResult.Granted;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
