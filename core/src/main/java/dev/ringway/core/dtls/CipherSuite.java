package dev.ringway.core.dtls;

/** The TLS 1.3 cipher suites this engine speaks (RFC 8446 §B.4). */
public enum CipherSuite {
  TLS_CHACHA20_POLY1305_SHA256(0x1303, "SHA-256", 32, 32),
  TLS_AES_256_GCM_SHA384(0x1302, "SHA-384", 48, 32),
  TLS_AES_128_GCM_SHA256(0x1301, "SHA-256", 32, 16);

  final int code;
  final String hash;
  final int hashLength;
  final int keyLength;

  CipherSuite(int code, String hash, int hashLength, int keyLength) {
    this.code = code;
    this.hash = hash;
    this.hashLength = hashLength;
    this.keyLength = keyLength;
  }

  /** The IANA code point. */
  public int code() {
    return code;
  }

  boolean chacha() {
    return this == TLS_CHACHA20_POLY1305_SHA256;
  }

  String hmac() {
    return hashLength == 48 ? "HmacSHA384" : "HmacSHA256";
  }

  String hkdf() {
    return hashLength == 48 ? "HKDF-SHA384" : "HKDF-SHA256";
  }

  static CipherSuite byCode(int code) {
    for (CipherSuite s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    return null;
  }
}
