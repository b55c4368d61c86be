package dev.ringway.core.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A freshly generated self-signed server identity (ECDSA P-256), what a server without configured
 * credentials writes into its state directory. Clients must then pin this certificate as their CA
 * or connect insecurely.
 */
public record SelfSigned(X509Certificate certificate, PrivateKey privateKey) {
  private static final Duration VALIDITY = Duration.ofDays(3650);
  private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /**
   * Generates a certificate for {@code commonName} whose subject alternative names are {@code
   * sans}: IP literals (IPv4 dotted quads or anything with a colon) become IP entries, the rest DNS
   * names.
   */
  public static SelfSigned generate(String commonName, List<String> sans) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = generator.generateKeyPair();
      X500Name subject =
          new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(127, new SecureRandom()).add(BigInteger.ONE),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(VALIDITY)),
              subject,
              keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      if (!sans.isEmpty()) {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                sans.stream().map(SelfSigned::generalName).toArray(GeneralName[]::new)));
      }
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
      return new SelfSigned(certificate, keys.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException("the JDK cannot generate an EC P-256 certificate", e);
    }
  }

  /** The certificate as PEM. */
  public String certificatePem() {
    return Pem.encode(certificate);
  }

  /** The private key as PKCS#8 PEM. */
  public String privateKeyPem() {
    return Pem.encode(privateKey);
  }

  /**
   * Writes the key (0600) and then the certificate (0644), each to a new file renamed into place,
   * so neither follows a symlink planted at its path ({@link Pem#writePrivate}).
   */
  public void write(Path certificateFile, Path keyFile) throws IOException {
    Pem.writePrivate(keyFile, privateKeyPem());
    Pem.writePublic(certificateFile, certificatePem());
  }

  private static GeneralName generalName(String san) {
    if (IPV4_LITERAL.matcher(san).matches() || san.contains(":")) {
      try {
        return new GeneralName(GeneralName.iPAddress, InetAddress.ofLiteral(san).getHostAddress());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not an IP address: " + san, e);
      }
    }
    return new GeneralName(GeneralName.dNSName, san);
  }
}
