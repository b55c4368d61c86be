package dev.ringway.core.dtls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.KDF;
import javax.crypto.Mac;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The RFC 8446 §7.1 key schedule over {@link KDF} HKDF. DTLS 1.3 swaps the label prefix {@code
 * "tls13 "} for {@code "dtls13"} (RFC 9147 §5.9); the TLS prefix is kept for the RFC 8448 vectors.
 */
final class KeySchedule {
  static final String DTLS_PREFIX = "dtls13";
  static final String TLS_PREFIX = "tls13 ";

  final CipherSuite suite;
  private final byte[] prefix;
  private final KDF kdf;

  KeySchedule(CipherSuite suite, String prefix) {
    this.suite = suite;
    this.prefix = prefix.getBytes(StandardCharsets.US_ASCII);
    try {
      this.kdf = KDF.getInstance(suite.hkdf());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  byte[] extract(byte[] salt, byte[] ikm) {
    try {
      return kdf.deriveData(HKDFParameterSpec.ofExtract().addSalt(salt).addIKM(ikm).extractOnly());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  byte[] expandLabel(byte[] secret, String label, byte[] context, int length) {
    byte[] l = label.getBytes(StandardCharsets.US_ASCII);
    byte[] info = new byte[2 + 1 + prefix.length + l.length + 1 + context.length];
    info[0] = (byte) (length >>> 8);
    info[1] = (byte) length;
    info[2] = (byte) (prefix.length + l.length);
    System.arraycopy(prefix, 0, info, 3, prefix.length);
    System.arraycopy(l, 0, info, 3 + prefix.length, l.length);
    info[3 + prefix.length + l.length] = (byte) context.length;
    System.arraycopy(context, 0, info, 4 + prefix.length + l.length, context.length);
    try {
      return kdf.deriveData(
          HKDFParameterSpec.expandOnly(new SecretKeySpec(secret, "HKDF-PRK"), info, length));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  byte[] deriveSecret(byte[] secret, String label, byte[] transcriptHash) {
    return expandLabel(secret, label, transcriptHash, suite.hashLength);
  }

  byte[] hash(byte[] data) {
    try {
      return MessageDigest.getInstance(suite.hash).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  byte[] zeros() {
    return new byte[suite.hashLength];
  }

  byte[] earlySecret() {
    return extract(zeros(), zeros());
  }

  byte[] handshakeSecret(byte[] early, byte[] sharedSecret) {
    return extract(deriveSecret(early, "derived", hash(new byte[0])), sharedSecret);
  }

  byte[] masterSecret(byte[] handshake) {
    return extract(deriveSecret(handshake, "derived", hash(new byte[0])), zeros());
  }

  byte[] finished(byte[] baseKey, byte[] transcriptHash) {
    byte[] key = expandLabel(baseKey, "finished", new byte[0], suite.hashLength);
    try {
      Mac mac = Mac.getInstance(suite.hmac());
      mac.init(new SecretKeySpec(key, suite.hmac()));
      return mac.doFinal(transcriptHash);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  byte[] nextTrafficSecret(byte[] secret) {
    return expandLabel(secret, "traffic upd", new byte[0], suite.hashLength);
  }

  /** Key, IV and record-number key of one traffic secret (RFC 8446 §7.3, RFC 9147 §4.2.3). */
  TrafficKeys trafficKeys(byte[] secret) {
    return new TrafficKeys(
        expandLabel(secret, "key", new byte[0], suite.keyLength),
        expandLabel(secret, "iv", new byte[0], 12),
        expandLabel(secret, "sn", new byte[0], suite.keyLength));
  }

  record TrafficKeys(byte[] key, byte[] iv, byte[] sn) {}
}
