package dev.ringway.core.tls;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/** How a client decides whether to believe the server's certificate. */
public sealed interface TrustPolicy {

  /** Trust servers whose chain leads to one of {@code authorities}. */
  record CertificateAuthorities(List<X509Certificate> authorities) implements TrustPolicy {
    public CertificateAuthorities {
      if (authorities.isEmpty()) {
        throw new IllegalArgumentException("at least one CA certificate is needed");
      }
      authorities = List.copyOf(authorities);
    }
  }

  /** Trust any server at all: for tests and first contact only, never for real traffic. */
  record Insecure() implements TrustPolicy {}

  /** Trust the CA certificates in the PEM bundle {@code caFile}. */
  static TrustPolicy caFile(Path caFile) throws PemException {
    return new CertificateAuthorities(Pem.certificates(caFile));
  }

  /** Trust the CA certificates given. */
  static TrustPolicy authorities(List<X509Certificate> authorities) {
    return new CertificateAuthorities(authorities);
  }

  /** Verification explicitly disabled: any certificate is accepted, a man in the middle too. */
  static TrustPolicy insecure() {
    return new Insecure();
  }
}
