package dev.ringway.core.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The htpasswd-style user file of §6: UTF-8, one {@code user:hash} per line, split at the first
 * colon; a line without a colon (so also a blank line), an empty user or an empty hash is an error
 * naming the line; a later duplicate replaces an earlier one; user names are case-sensitive.
 * Immutable once loaded, so any number of worker threads may check passwords.
 */
public final class UserDatabase {
  private static final Set<PosixFilePermission> NOT_FOR_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE);

  private final Map<String, String> hashes;

  /** A real entry's hash, of the kind and cost most entries share, checked for unknown users. */
  private final String decoy;

  private UserDatabase(Map<String, String> hashes) {
    this.hashes = Map.copyOf(hashes);
    this.decoy = typicalHash(hashes.values());
  }

  /**
   * The first hash of the most common kind and cost. Checking an unknown user's password against it
   * takes as long as checking a typical user's, whatever scheme the file uses (a fixed bcrypt decoy
   * would make unknown users slower, or faster, than known ones, and so tell them apart).
   */
  private static String typicalHash(Collection<String> all) {
    Map<String, Integer> counts = new HashMap<>();
    Map<String, String> firstOfKind = new HashMap<>();
    for (String hash : all) {
      String kind = costClass(hash);
      counts.merge(kind, 1, Integer::sum);
      firstOfKind.putIfAbsent(kind, hash);
    }
    String kind =
        counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    return firstOfKind.get(kind);
  }

  /** What decides a hash's cost: its scheme, and its cost or rounds parameter where it has one. */
  static String costClass(String hash) {
    if (hash.startsWith("$2") && hash.length() > 7) {
      return hash.substring(0, 7);
    }
    if (hash.startsWith("$5$rounds=") || hash.startsWith("$6$rounds=")) {
      int end = hash.indexOf('$', 3);
      return end < 0 ? hash : hash.substring(0, end);
    }
    if (hash.startsWith("$")) {
      int end = hash.indexOf('$', 1);
      return end < 0 ? hash : hash.substring(0, end + 1);
    }
    return hash.startsWith("_") ? "_" : "des";
  }

  /** Loads {@code file}, which must be readable and writable by its owner only. */
  public static UserDatabase load(Path file) throws UserDatabaseException {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.stream().anyMatch(NOT_FOR_OTHERS::contains)) {
        throw new UserDatabaseException(
            file + ": readable or writable by group or others; chmod 600 it");
      }
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: nothing to check.
    } catch (IOException e) {
      throw new UserDatabaseException(file + ": cannot read: " + e.getMessage(), e);
    }
    return loadIgnoringPermissions(file);
  }

  /** Loads {@code file} without the permission check (the operator explicitly opted out). */
  public static UserDatabase loadIgnoringPermissions(Path file) throws UserDatabaseException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UserDatabaseException(file + ": cannot read: " + e.getMessage(), e);
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new UserDatabaseException(file + ": not valid UTF-8", e);
    }
    return parse(file.toString(), text);
  }

  /** Parses user-file text; {@code source} names it in errors. */
  static UserDatabase parse(String source, String text) throws UserDatabaseException {
    Map<String, String> hashes = new HashMap<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int colon = line.indexOf(':');
      String where = source + " line " + (i + 1) + ": ";
      if (colon < 0) {
        throw new UserDatabaseException(where + "expected user:hash");
      }
      if (colon == 0) {
        throw new UserDatabaseException(where + "empty user name");
      }
      if (colon == line.length() - 1) {
        throw new UserDatabaseException(where + "empty password hash");
      }
      hashes.put(line.substring(0, colon), line.substring(colon + 1));
    }
    if (hashes.isEmpty()) {
      throw new UserDatabaseException(source + ": no users");
    }
    return new UserDatabase(hashes);
  }

  /**
   * Checks {@code user}'s password. Slow by design (bcrypt): call it from a worker thread. An
   * unknown user costs about as much as a wrong password, so timing does not reveal user names.
   */
  public AuthResult authenticate(String user, String password) {
    String hash = hashes.get(user);
    if (hash == null) {
      // Spend the time a known user costs; whether the password happens to match is ignored.
      PasswordHashes.matches(password, decoy);
      return AuthResult.denied(AuthResult.Reason.UNKNOWN_USER);
    }
    return PasswordHashes.matches(password, hash)
        ? new AuthResult.Granted(user)
        : AuthResult.denied(AuthResult.Reason.WRONG_PASSWORD);
  }

  /** How many users the file defines. */
  public int size() {
    return hashes.size();
  }

  /** The hash an unknown user's password is checked against (for the timing test). */
  String decoyHash() {
    return decoy;
  }
}
