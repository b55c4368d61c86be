package dev.ringway.core.tls;

/**
 * The AEAD a Lightway client asks for (its {@code Cipher} setting): it offers exactly one, in the
 * TLS 1.3 suite for TCP and the matching ECDHE suites for DTLS 1.2. Servers accept both.
 */
public enum Cipher {
  AES_256_GCM(
      new String[] {"TLS_AES_256_GCM_SHA384"},
      new String[] {
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
      }),
  CHACHA20_POLY1305(
      new String[] {"TLS_CHACHA20_POLY1305_SHA256"},
      new String[] {
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
      });

  private final String[] tls13Suites;
  private final String[] dtls12Suites;

  Cipher(String[] tls13Suites, String[] dtls12Suites) {
    this.tls13Suites = tls13Suites;
    this.dtls12Suites = dtls12Suites;
  }

  String[] suites(Transport transport) {
    return (transport == Transport.STREAM ? tls13Suites : dtls12Suites).clone();
  }
}
