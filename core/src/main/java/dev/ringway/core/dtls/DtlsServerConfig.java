package dev.ringway.core.dtls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a DTLS 1.3 server needs: its certificate chain (leaf first) and key (EC P-256/384/521, or
 * RSA for RSA-PSS), cipher suites and groups in its own preference order, the secret the cookie
 * gate keys its HMAC with, the largest datagram to send, and whether delegated tasks run inline.
 */
public record DtlsServerConfig(
    List<X509Certificate> chain,
    PrivateKey key,
    List<CipherSuite> suites,
    List<NamedGroup> groups,
    byte[] cookieSecret,
    int maxDatagram,
    boolean inlineTasks) {

  /** Lightway's DTLS MTU: a 1500-byte IP datagram less IP, UDP and its 16-byte outer header. */
  public static final int DEFAULT_MAX_DATAGRAM = 1456;

  /** Lightway's UDP server order: ChaCha20 first, then AES-256, then AES-128. */
  public static final List<CipherSuite> DEFAULT_SUITES =
      List.of(
          CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
          CipherSuite.TLS_AES_256_GCM_SHA384,
          CipherSuite.TLS_AES_128_GCM_SHA256);

  public static final List<NamedGroup> DEFAULT_GROUPS =
      List.of(
          NamedGroup.P521_MLKEM1024,
          NamedGroup.X25519MLKEM768,
          NamedGroup.SECP256R1,
          NamedGroup.X25519,
          NamedGroup.SECP384R1,
          NamedGroup.SECP521R1);

  public DtlsServerConfig {
    chain = List.copyOf(chain);
    suites = List.copyOf(suites);
    groups = List.copyOf(groups);
    cookieSecret = cookieSecret.clone();
    if (chain.isEmpty() || suites.isEmpty() || groups.isEmpty()) {
      throw new IllegalArgumentException("chain, suites and groups must not be empty");
    }
    if (cookieSecret.length < 16) {
      throw new IllegalArgumentException("cookie secret shorter than 16 bytes");
    }
    if (maxDatagram < 256 || maxDatagram > 16384) {
      throw new IllegalArgumentException("maxDatagram out of 256..16384: " + maxDatagram);
    }
  }

  /** Defaults for everything but the credentials and the cookie secret; tasks are delegated. */
  public static DtlsServerConfig of(
      List<X509Certificate> chain, PrivateKey key, byte[] cookieSecret) {
    return new DtlsServerConfig(
        chain, key, DEFAULT_SUITES, DEFAULT_GROUPS, cookieSecret, DEFAULT_MAX_DATAGRAM, false);
  }

  public DtlsServerConfig withSuites(List<CipherSuite> s) {
    return new DtlsServerConfig(chain, key, s, groups, cookieSecret, maxDatagram, inlineTasks);
  }

  public DtlsServerConfig withGroups(List<NamedGroup> g) {
    return new DtlsServerConfig(chain, key, suites, g, cookieSecret, maxDatagram, inlineTasks);
  }

  public DtlsServerConfig withMaxDatagram(int m) {
    return new DtlsServerConfig(chain, key, suites, groups, cookieSecret, m, inlineTasks);
  }

  public DtlsServerConfig withInlineTasks(boolean inline) {
    return new DtlsServerConfig(chain, key, suites, groups, cookieSecret, maxDatagram, inline);
  }

  @Override
  public byte[] cookieSecret() {
    return cookieSecret.clone();
  }
}
