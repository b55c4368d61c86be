package dev.ringway.server.jmx;

import dev.ringway.config.Config;
import dev.ringway.core.auth.AuthResult;
import dev.ringway.core.auth.UserDatabase;
import dev.ringway.core.auth.UserDatabaseException;
import java.io.IOException;
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
 * same answer, so the answer does not reveal user names.
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

  JmxLogins(List<Config.JmxUser> configured) throws IOException {
    StringBuilder hashes = new StringBuilder();
    for (Config.JmxUser user : configured) {
      users.put(user.name(), user);
      if (user.passwordHash() != null) {
        hashes.append(user.name()).append(':').append(user.passwordHash()).append('\n');
      }
    }
    hashed = hashes.isEmpty() ? null : hashDatabase(hashes.toString());
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
    Config.JmxUser user = name == null ? null : users.get(name);
    if (user == null || !matches(user, password)) {
      throw new SecurityException("wrong user name or password");
    }
    return new Subject(
        true, Set.of(new JMXPrincipal(name), new RolePrincipal(user.role())), Set.of(), Set.of());
  }

  private boolean matches(Config.JmxUser user, String password) {
    if (user.password() != null) {
      return MessageDigest.isEqual(
          user.password().getBytes(StandardCharsets.UTF_8),
          password.getBytes(StandardCharsets.UTF_8));
    }
    return hashed.authenticate(user.name(), password) instanceof AuthResult.Granted;
  }
}
