package dev.ringway.core.tls;

/**
 * The AEAD a Lightway client asks for (its {@code Cipher} setting): it offers exactly one, as the
 * TLS 1.3 suite over TCP and the DTLS 1.3 suite of the same name over UDP. Servers accept both.
 */
public enum Cipher {
  AES_256_GCM("TLS_AES_256_GCM_SHA384"),
  CHACHA20_POLY1305("TLS_CHACHA20_POLY1305_SHA256");

  private final String suite;

  Cipher(String suite) {
    this.suite = suite;
  }

  /** The IANA name of the TLS 1.3 / DTLS 1.3 suite. */
  public String suite() {
    return suite;
  }

  String[] tls13Suites() {
    return new String[] {suite};
  }
}
