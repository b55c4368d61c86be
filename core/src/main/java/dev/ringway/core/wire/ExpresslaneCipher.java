package dev.ringway.core.wire;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens Expresslane data packets (digest §2.14): one inside packet under AES-256-GCM,
 * outside DTLS, after the 16-byte outer header. The 40-byte Expresslane header is
 *
 * <pre>
 * counter u64 | IV 12 | tag 16 | length u16 | flags u16 (0x8000 = encoded) | ciphertext
 * </pre>
 *
 * and the AAD is session ‖ counter (V1), plus the flags word for V2. One instance per key.
 */
public final class ExpresslaneCipher {
  public static final int HEADER_SIZE = 40;
  public static final int IV_SIZE = 12;
  public static final int TAG_SIZE = 16;
  public static final int MAX_PLAINTEXT = 0xffff;
  static final int FLAG_ENCODED = 0x8000;

  private final SecretKeySpec key;
  private final Cipher cipher;

  /**
   * @param key 32 bytes; all zero means "no key" and is refused
   */
  public ExpresslaneCipher(byte[] key) {
    if (key.length != ExpresslaneConfig.KEY_BYTES) {
      throw new IllegalArgumentException("an Expresslane key is 32 bytes, got " + key.length);
    }
    if (Arrays.equals(key, new byte[ExpresslaneConfig.KEY_BYTES])) {
      throw new IllegalArgumentException("the all-zero Expresslane key means no key");
    }
    this.key = new SecretKeySpec(key, "AES");
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks AES/GCM/NoPadding", e);
    }
  }

  /**
   * Writes the Expresslane header and ciphertext of {@code plaintext} (its remaining bytes, which
   * are consumed) at {@code out}'s position.
   */
  public void seal(
      ByteBuffer out,
      ExpresslaneVersion version,
      long session,
      long counter,
      byte[] iv,
      boolean encoded,
      ByteBuffer plaintext) {
    int length = plaintext.remaining();
    if (length > MAX_PLAINTEXT) {
      throw new IllegalArgumentException("Expresslane plaintext above 65535 bytes: " + length);
    }
    if (iv.length != IV_SIZE) {
      throw new IllegalArgumentException("the Expresslane IV is 12 bytes");
    }
    if (out.remaining() < HEADER_SIZE + length) {
      throw new BufferOverflowException();
    }
    int flags = encoded ? FLAG_ENCODED : 0;
    byte[] sealed;
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_SIZE * 8, iv));
      cipher.updateAAD(aad(version, session, counter, flags));
      sealed = new byte[length + TAG_SIZE];
      cipher.doFinal(plaintext, ByteBuffer.wrap(sealed));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    BigEndian.putU64(out, counter);
    out.put(iv);
    out.put(sealed, length, TAG_SIZE);
    BigEndian.putU16(out, length);
    BigEndian.putU16(out, flags);
    out.put(sealed, 0, length);
  }

  /**
   * Opens the packet at {@code in}'s position into {@code out}, advancing both on success.
   *
   * @return whether the inside packet is codec-encoded
   * @throws WireException {@link WireError#INSUFFICIENT_DATA} if the packet is short, {@link
   *     WireError#INVALID_EXPRESS_DATA} if it does not authenticate under this key
   */
  public boolean open(ByteBuffer in, ExpresslaneVersion version, long session, ByteBuffer out)
      throws WireException {
    int p = in.position();
    if (in.remaining() < HEADER_SIZE) {
      throw new WireException(
          WireError.INSUFFICIENT_DATA,
          "Expresslane header needs " + HEADER_SIZE + " bytes, " + in.remaining() + " present");
    }
    long counter = BigEndian.u64(in, p);
    int length = BigEndian.u16(in, p + 36);
    int flags = BigEndian.u16(in, p + 38);
    if (in.remaining() - HEADER_SIZE < length) {
      throw new WireException(
          WireError.INSUFFICIENT_DATA,
          "Expresslane ciphertext says "
              + length
              + " bytes, "
              + (in.remaining() - HEADER_SIZE)
              + " present");
    }
    if (out.remaining() < length) {
      throw new BufferOverflowException();
    }
    byte[] iv = new byte[IV_SIZE];
    in.get(p + 8, iv);
    byte[] sealed = new byte[length + TAG_SIZE];
    in.get(p + HEADER_SIZE, sealed, 0, length);
    in.get(p + 20, sealed, length, TAG_SIZE);
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_SIZE * 8, iv));
      cipher.updateAAD(aad(version, session, counter, flags));
      cipher.doFinal(ByteBuffer.wrap(sealed), out);
    } catch (AEADBadTagException e) {
      throw new WireException(
          WireError.INVALID_EXPRESS_DATA, "Expresslane packet does not authenticate");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
    in.position(p + HEADER_SIZE + length);
    return (flags & FLAG_ENCODED) != 0;
  }

  /**
   * The counter of the Expresslane packet at {@code index}, for the replay check before opening.
   */
  public static long counterAt(ByteBuffer in, int index) {
    return BigEndian.u64(in, index);
  }

  private static byte[] aad(ExpresslaneVersion version, long session, long counter, int flags) {
    ByteBuffer aad =
        ByteBuffer.allocate(
            switch (version) {
              case V1 -> 16;
              case V2 -> 18;
              case UNKNOWN ->
                  throw new IllegalArgumentException("negotiate V1 or V2 before sending data");
            });
    BigEndian.putU64(aad, session);
    BigEndian.putU64(aad, counter);
    if (version == ExpresslaneVersion.V2) {
      BigEndian.putU16(aad, flags);
    }
    return aad.array();
  }
}
