package dev.ringway.core.dtls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test CA and server certificates it issues (BouncyCastle only builds them; the engine never sees
 * it).
 */
final class TestPki {
  final KeyPair caKeys;
  final X509Certificate ca;

  TestPki() {
    this("CN=Ringway Test CA");
  }

  TestPki(String caName) {
    caKeys = keys("EC256");
    ca =
        issue(caName, caKeys, null, null, true, List.of(), Instant.now().plus(Duration.ofDays(30)));
  }

  Set<TrustAnchor> anchors() {
    return Set.of(new TrustAnchor(ca, null));
  }

  /** A server identity whose key is {@code kind}: EC256, EC384, EC521 or RSA. */
  Identity server(String kind, List<String> sans) {
    KeyPair k = keys(kind);
    X509Certificate leaf =
        issue(
            "CN=" + (sans.isEmpty() ? "server" : sans.get(0)),
            k,
            caKeys,
            ca,
            false,
            sans,
            Instant.now().plus(Duration.ofDays(30)));
    return new Identity(List.of(leaf, ca), k.getPrivate());
  }

  Identity expiredServer(List<String> sans) {
    KeyPair k = keys("EC256");
    X509Certificate leaf =
        issue("CN=expired", k, caKeys, ca, false, sans, Instant.now().minus(Duration.ofHours(1)));
    return new Identity(List.of(leaf, ca), k.getPrivate());
  }

  record Identity(List<X509Certificate> chain, PrivateKey key) {}

  static KeyPair keys(String kind) {
    try {
      if (kind.equals("RSA")) {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
      }
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp" + kind.substring(2) + "r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate issue(
      String subject,
      KeyPair subjectKeys,
      KeyPair issuerKeys,
      X509Certificate issuer,
      boolean isCa,
      List<String> sans,
      Instant notAfter) {
    try {
      X500Name name = new X500Name(subject);
      X500Name issuerName =
          issuer == null ? name : new X500Name(issuer.getSubjectX500Principal().getName());
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuerName,
              new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
              Date.from(Instant.now().minus(Duration.ofDays(2))),
              Date.from(notAfter),
              name,
              subjectKeys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(isCa ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
      if (!sans.isEmpty()) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                sans.stream()
                    .map(s ->
                        s.matches("[0-9.]+") || s.contains(":")
                            ? new GeneralName(GeneralName.iPAddress, s)
                            : new GeneralName(GeneralName.dNSName, s))
                    .toArray(GeneralName[]::new)));
      }
      KeyPair signer = issuerKeys == null ? subjectKeys : issuerKeys;
      String alg =
          signer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
