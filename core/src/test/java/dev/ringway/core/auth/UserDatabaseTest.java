package dev.ringway.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.ringway.testkit.Commands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UserDatabaseTest {
  @TempDir Path dir;

  /** Hashes of "secret" made by independent implementations: OpenSSL and libxcrypt (via perl). */
  static Stream<Arguments> hashesOfSecret() {
    return Stream.of(
        Arguments.of(
            "bcrypt $2y$ (favre)",
            BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, "secret".toCharArray())),
        Arguments.of("bcrypt $2b$ (libxcrypt)", perlCrypt("$2b$05$abcdefghijklmnopqrstuu")),
        Arguments.of(
            "bcrypt $2a$ (favre)",
            BCrypt.with(BCrypt.Version.VERSION_2A).hashToString(4, "secret".toCharArray())),
        Arguments.of("SHA-256-crypt", openssl("-5")),
        Arguments.of("SHA-512-crypt", openssl("-6")),
        Arguments.of("SHA-512-crypt with rounds", perlCrypt("$6$rounds=6000$saltsalt$")),
        Arguments.of("MD5-crypt", openssl("-1")),
        Arguments.of("Apache MD5", openssl("-apr1")),
        Arguments.of("DES crypt", perlCrypt("ab")));
  }

  private static String openssl(String scheme) {
    return Commands.run("openssl", "passwd", scheme, "secret").orThrow().output().strip();
  }

  private static String perlCrypt(String salt) {
    return Commands.run("perl", "-e", "print crypt('secret', q(" + salt + "))")
        .orThrow()
        .output()
        .strip();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hashesOfSecret")
  void theRightPasswordIsGranted(String scheme, String hash) throws Exception {
    UserDatabase db = UserDatabase.parse("users", "alice:" + hash + "\n");

    assertThat(db.authenticate("alice", "secret")).isEqualTo(new AuthResult.Granted("alice"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hashesOfSecret")
  void aWrongPasswordIsDenied(String scheme, String hash) throws Exception {
    UserDatabase db = UserDatabase.parse("users", "alice:" + hash + "\n");

    assertThat(db.authenticate("alice", "Secret"))
        .isEqualTo(AuthResult.denied(AuthResult.Reason.WRONG_PASSWORD));
  }

  @Test
  void unknownUsersAreDeniedAndNamesAreCaseSensitive() throws Exception {
    UserDatabase db = UserDatabase.parse("users", "alice:" + openssl("-5"));

    assertThat(db.authenticate("Alice", "secret"))
        .isEqualTo(AuthResult.denied(AuthResult.Reason.UNKNOWN_USER));
  }

  @Test
  void anUnknownUserIsCheckedAgainstAHashOfTheMostCommonKindAndCost() throws Exception {
    String cheap = "$2y$04$" + "a".repeat(53);
    String typical1 = "$2b$12$" + "b".repeat(53);
    String typical2 = "$2b$12$" + "c".repeat(53);
    String sha = "$6$rounds=5000$salt$" + "d".repeat(86);
    UserDatabase db =
        UserDatabase.parse(
            "users", "a:" + cheap + "\nb:" + typical1 + "\nc:" + typical2 + "\nd:" + sha);

    assertThat(UserDatabase.costClass(db.decoyHash())).isEqualTo("$2b$12$");
    assertThat(db.decoyHash()).isIn(typical1, typical2);
    assertThat(db.authenticate("nobody", "x"))
        .isEqualTo(AuthResult.denied(AuthResult.Reason.UNKNOWN_USER));
  }

  @Test
  void costClassesSeparateSchemesAndTheirCosts() {
    assertThat(UserDatabase.costClass("$2a$10$xyz" + "a".repeat(50))).isEqualTo("$2a$10$");
    assertThat(UserDatabase.costClass("$6$rounds=9000$salt$h")).isEqualTo("$6$rounds=9000");
    assertThat(UserDatabase.costClass("$6$salt$h")).isEqualTo("$6$");
    assertThat(UserDatabase.costClass("$apr1$salt$h")).isEqualTo("$apr1$");
    assertThat(UserDatabase.costClass("abJnggxhB/yWI")).isEqualTo("des");
  }

  @Test
  void unsupportedSchemesNeverMatch() throws Exception {
    UserDatabase db =
        UserDatabase.parse(
            "users", "a:$sha1$40000$jtNX3nZ2$hBNaIXkt4wBI2o5rsi8KejSjNqIq\nb:{SHA}x");

    assertThat(db.authenticate("a", "secret").granted()).isFalse();
    assertThat(db.authenticate("b", "secret").granted()).isFalse();
  }

  @Test
  void theLaterOfTwoLinesForOneUserWins() throws Exception {
    String hashOfOther =
        Commands.run("openssl", "passwd", "-1", "other").orThrow().output().strip();
    UserDatabase db = UserDatabase.parse("users", "bob:" + openssl("-1") + "\nbob:" + hashOfOther);

    assertThat(db.size()).isEqualTo(1);
    assertThat(db.authenticate("bob", "other").granted()).isTrue();
    assertThat(db.authenticate("bob", "secret").granted()).isFalse();
  }

  @Test
  void aLineWithoutAColonIsAnErrorNamingTheLine() {
    assertThatThrownBy(() -> UserDatabase.parse("users.htpasswd", "a:x\nbroken\n"))
        .isInstanceOf(UserDatabaseException.class)
        .hasMessage("users.htpasswd line 2: expected user:hash");
  }

  @Test
  void blankLinesAreErrorsAsInLightway() {
    assertThatThrownBy(() -> UserDatabase.parse("u", "a:x\n\nb:y\n"))
        .hasMessage("u line 2: expected user:hash");
  }

  @Test
  void emptyUserAndEmptyHashAreErrors() {
    assertThatThrownBy(() -> UserDatabase.parse("u", ":x")).hasMessage("u line 1: empty user name");
    assertThatThrownBy(() -> UserDatabase.parse("u", "a:"))
        .hasMessage("u line 1: empty password hash");
  }

  @Test
  void aFileWithoutUsersIsAnError() {
    assertThatThrownBy(() -> UserDatabase.parse("u", "")).hasMessage("u: no users");
  }

  @Test
  void invalidUtf8IsAnError() throws Exception {
    Path file = ownerOnly("bad.htpasswd");
    Files.write(file, new byte[] {'a', ':', (byte) 0xff, (byte) 0xfe});

    assertThatThrownBy(() -> UserDatabase.load(file)).hasMessageContaining("not valid UTF-8");
  }

  @Test
  void aFileOthersCanReadIsRefusedUnlessTheOperatorOptsOut() throws Exception {
    Path file = dir.resolve("open.htpasswd");
    Files.writeString(file, "alice:" + openssl("-6"), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> UserDatabase.load(file)).hasMessageContaining("chmod 600");
    assertThat(UserDatabase.loadIgnoringPermissions(file).size()).isEqualTo(1);
  }

  @Test
  void anOwnerOnlyFileLoads() throws Exception {
    Path file = ownerOnly("users.htpasswd");
    Files.writeString(file, "alice:" + openssl("-apr1") + "\nbob:" + openssl("-6") + "\n");

    UserDatabase db = UserDatabase.load(file);

    assertThat(db.size()).isEqualTo(2);
    assertThat(db.authenticate("bob", "secret").granted()).isTrue();
  }

  private Path ownerOnly(String name) throws Exception {
    return Files.createFile(
        dir.resolve(name),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
  }
}
