package dev.ringway.core.dtls;

import java.security.cert.TrustAnchor;
import java.util.List;
import java.util.Set;

/**
 * What a DTLS 1.3 client needs: the trust anchors to validate the server's chain with, the server
 * name it sends as SNI and checks against the certificate (null: neither), the suites and groups it
 * offers, the group of its single first key share, the largest datagram, and whether delegated
 * tasks run inline.
 */
public record DtlsClientConfig(
    Set<TrustAnchor> trustAnchors,
    String serverName,
    List<CipherSuite> suites,
    List<NamedGroup> groups,
    NamedGroup keyShareGroup,
    int maxDatagram,
    boolean inlineTasks) {

  public DtlsClientConfig {
    trustAnchors = Set.copyOf(trustAnchors);
    suites = List.copyOf(suites);
    groups = List.copyOf(groups);
    if (trustAnchors.isEmpty() || suites.isEmpty() || groups.isEmpty()) {
      throw new IllegalArgumentException("trust anchors, suites and groups must not be empty");
    }
    if (!groups.contains(keyShareGroup)) {
      throw new IllegalArgumentException("key share group " + keyShareGroup + " not offered");
    }
    if (maxDatagram < 256 || maxDatagram > 16384) {
      throw new IllegalArgumentException("maxDatagram out of 256..16384: " + maxDatagram);
    }
  }

  /** AES-256 first as Lightway's client default, every group offered, an X25519 first share. */
  public static DtlsClientConfig of(Set<TrustAnchor> anchors, String serverName) {
    return new DtlsClientConfig(
        anchors,
        serverName,
        List.of(
            CipherSuite.TLS_AES_256_GCM_SHA384,
            CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_AES_128_GCM_SHA256),
        List.of(
            NamedGroup.X25519,
            NamedGroup.SECP256R1,
            NamedGroup.SECP384R1,
            NamedGroup.SECP521R1,
            NamedGroup.X25519MLKEM768,
            NamedGroup.P521_MLKEM1024),
        NamedGroup.X25519,
        DtlsServerConfig.DEFAULT_MAX_DATAGRAM,
        false);
  }

  public DtlsClientConfig withSuites(List<CipherSuite> s) {
    return new DtlsClientConfig(
        trustAnchors, serverName, s, groups, keyShareGroup, maxDatagram, inlineTasks);
  }

  public DtlsClientConfig withGroups(List<NamedGroup> g, NamedGroup share) {
    return new DtlsClientConfig(
        trustAnchors, serverName, suites, g, share, maxDatagram, inlineTasks);
  }

  public DtlsClientConfig withServerName(String name) {
    return new DtlsClientConfig(
        trustAnchors, name, suites, groups, keyShareGroup, maxDatagram, inlineTasks);
  }

  public DtlsClientConfig withMaxDatagram(int m) {
    return new DtlsClientConfig(
        trustAnchors, serverName, suites, groups, keyShareGroup, m, inlineTasks);
  }

  public DtlsClientConfig withInlineTasks(boolean inline) {
    return new DtlsClientConfig(
        trustAnchors, serverName, suites, groups, keyShareGroup, maxDatagram, inline);
  }
}
