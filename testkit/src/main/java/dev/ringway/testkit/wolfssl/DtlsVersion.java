package dev.ringway.testkit.wolfssl;

/** The DTLS version a {@link DtlsClient} speaks, as the wolfSSL client method that fixes it. */
public enum DtlsVersion {
  /** {@code wolfDTLSv1_2_client_method}: what Ringway's UDP server speaks today. */
  DTLS_1_2("wolfDTLSv1_2_client_method"),
  /** {@code wolfDTLSv1_3_client_method}: DTLS 1.3 only, as Lightway's clients connect. */
  DTLS_1_3("wolfDTLSv1_3_client_method");

  private final String method;

  DtlsVersion(String method) {
    this.method = method;
  }

  /** The wolfSSL function returning this version's client {@code WOLFSSL_METHOD}. */
  String method() {
    return method;
  }
}
