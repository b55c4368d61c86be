package dev.ringway.core.expresslane;

import dev.ringway.core.wire.ExpresslaneConfig;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256-GCM key with the one {@link Cipher} that serves it for its whole life. Works on heap
 * arrays only: the JDK's GCM copies direct buffers through two fresh 768-byte arrays per call.
 */
final class PacketKey {
  static final int TAG_SIZE = 16;
  private static final int TAG_BITS = TAG_SIZE * 8;

  private final byte[] key;
  private final SecretKeySpec spec;
  private final Cipher cipher;

  /**
   * @param key 32 bytes, not all zero (the all-zero key means "no key" and never gets a cipher)
   */
  PacketKey(byte[] key) {
    if (key.length != ExpresslaneConfig.KEY_BYTES || isNoKey(key)) {
      throw new IllegalArgumentException("an Expresslane key is 32 bytes, not all zero");
    }
    this.key = key.clone();
    this.spec = new SecretKeySpec(this.key, "AES");
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks AES/GCM/NoPadding", e);
    }
  }

  static boolean isNoKey(byte[] key) {
    int acc = 0;
    for (byte b : key) {
      acc |= b;
    }
    return acc == 0;
  }

  boolean is(byte[] other) {
    return MessageDigest.isEqual(key, other);
  }

  /** Encrypts {@code work[0, length)} in place; the tag follows at {@code work[length]}. */
  void seal(byte[] iv, byte[] aad, int aadLength, byte[] work, int length) {
    try {
      // A GCMParameterSpec is immutable, so a fresh IV needs a fresh one (it copies the IV).
      cipher.init(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(aad, 0, aadLength);
      cipher.doFinal(work, 0, length, work, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /**
   * Decrypts {@code sealed[0, length + 16)} (ciphertext then tag) into {@code plain[0, length)},
   * leaving {@code sealed} untouched so another key can try it.
   *
   * @return whether it authenticated under this key
   */
  boolean open(byte[] iv, byte[] aad, int aadLength, byte[] sealed, int length, byte[] plain) {
    try {
      cipher.init(Cipher.DECRYPT_MODE, spec, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(aad, 0, aadLength);
      cipher.doFinal(sealed, 0, length + TAG_SIZE, plain, 0);
      return true;
    } catch (AEADBadTagException e) {
      return false;
    } catch (ShortBufferException e) {
      throw new IllegalStateException("plaintext scratch sized below the ciphertext", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  /** Forgets the key bytes this object holds (the JDK's key schedule is beyond reach). */
  void wipe() {
    Arrays.fill(key, (byte) 0);
  }
}
