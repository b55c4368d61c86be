package dev.ringway.core.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.commons.codec.digest.Md5Crypt;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.apache.commons.codec.digest.UnixCrypt;

/**
 * Checks a password against a crypt(3)-style hash, recognised by its prefix: bcrypt ({@code $2a$},
 * {@code $2b$}, {@code $2y$}), SHA-256-crypt ({@code $5$}), SHA-512-crypt ({@code $6$}), MD5-crypt
 * ({@code $1$}), Apache MD5 ({@code $apr1$}, which Lightway's own server lacks), and traditional
 * DES crypt (no prefix). Other schemes ({@code $sha1$}, BSDi {@code _}) never match. The hashing is
 * the libraries'; only the dispatch is ours.
 */
final class PasswordHashes {
  private PasswordHashes() {}

  static boolean matches(String password, String hash) {
    byte[] key = password.getBytes(StandardCharsets.UTF_8);
    try {
      if (hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$")) {
        return BCrypt.verifyer().verify(key, hash.getBytes(StandardCharsets.UTF_8)).verified;
      }
      String computed;
      if (hash.startsWith("$5$")) {
        computed = Sha2Crypt.sha256Crypt(key, hash);
      } else if (hash.startsWith("$6$")) {
        computed = Sha2Crypt.sha512Crypt(key, hash);
      } else if (hash.startsWith("$1$")) {
        computed = Md5Crypt.md5Crypt(key, hash);
      } else if (hash.startsWith("$apr1$")) {
        computed = Md5Crypt.apr1Crypt(key, hash);
      } else if (hash.startsWith("$") || hash.startsWith("_") || hash.length() != 13) {
        return false;
      } else {
        computed = UnixCrypt.crypt(key, hash);
      }
      // The crypt output embeds the salt and parameters, so equal strings mean equal hashes.
      return MessageDigest.isEqual(
          computed.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return false; // a malformed hash (bad salt, bad cost, over-long bcrypt input) matches nothing
    }
  }
}
