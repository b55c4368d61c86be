package dev.ringway.core.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes the PEM files operators hand us: certificate chains and CA bundles, and private
 * keys as PKCS#8 ({@code PRIVATE KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY}) or SEC1 EC ({@code EC
 * PRIVATE KEY}, possibly preceded by {@code EC PARAMETERS}). Keys are converted with the JDK's own
 * providers so {@code SSLEngine} can use them; encrypted keys are refused.
 */
public final class Pem {
  private Pem() {}

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> WORLD_READABLE =
      PosixFilePermissions.fromString("rw-r--r--");

  /**
   * Writes a private key (or any secret) to {@code file}, mode 0600. The bytes go to a new file
   * created exclusively beside it, which is then renamed over {@code file}: a symlink planted at
   * {@code file} or at the temporary name is never followed (it is replaced, or creation fails),
   * and a reader never sees a half-written key.
   */
  public static void writePrivate(Path file, String pem) throws IOException {
    writeReplacing(file, pem, OWNER_ONLY);
  }

  /** As {@link #writePrivate}, for a certificate: mode 0644. */
  public static void writePublic(Path file, String pem) throws IOException {
    writeReplacing(file, pem, WORLD_READABLE);
  }

  private static void writeReplacing(Path file, String text, Set<PosixFilePermission> mode)
      throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    Path temporary =
        directory.resolve(
            "." + file.getFileName() + "." + HexFormat.of().formatHex(random) + ".tmp");
    try (SeekableByteChannel out =
        Files.newByteChannel(
            temporary,
            Set.<OpenOption>of(
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
            PosixFilePermissions.asFileAttribute(mode))) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      ((FileChannel) out).force(true);
      // The umask may have taken bits away from the creation mode; a certificate should be 0644.
      Files.setPosixFilePermissions(temporary, mode);
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
  }

  /** Every certificate in {@code file}, in file order (leaf first for a chain). */
  public static List<X509Certificate> certificates(Path file) throws PemException {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    for (Object object : objects(file)) {
      if (object instanceof X509CertificateHolder holder) {
        try {
          certificates.add(converter.getCertificate(holder));
        } catch (CertificateException e) {
          throw new PemException(file, "unusable certificate: " + e.getMessage(), e);
        }
      }
    }
    if (certificates.isEmpty()) {
      throw new PemException(file, "no CERTIFICATE block found");
    }
    return List.copyOf(certificates);
  }

  /** The one private key in {@code file}. */
  public static PrivateKey privateKey(Path file) throws PemException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    PrivateKey found = null;
    for (Object object : objects(file)) {
      PrivateKey key;
      try {
        key =
            switch (object) {
              case PrivateKeyInfo info -> converter.getPrivateKey(info);
              case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
              case PEMEncryptedKeyPair _, PKCS8EncryptedPrivateKeyInfo _ ->
                  throw new PemException(file, "encrypted private keys are not supported");
              case ASN1ObjectIdentifier _ -> null; // EC PARAMETERS ahead of an EC PRIVATE KEY
              default -> null;
            };
      } catch (IOException e) {
        throw new PemException(file, "unusable private key: " + e.getMessage(), e);
      }
      if (key != null) {
        if (found != null) {
          throw new PemException(file, "more than one private key");
        }
        found = key;
      }
    }
    if (found == null) {
      throw new PemException(file, "no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block found");
    }
    return found;
  }

  /** The one public key in {@code file} ({@code PUBLIC KEY} or {@code RSA PUBLIC KEY}). */
  public static PublicKey publicKey(Path file) throws PemException {
    for (Object object : objects(file)) {
      if (object instanceof SubjectPublicKeyInfo info) {
        try {
          return new JcaPEMKeyConverter().getPublicKey(info);
        } catch (IOException e) {
          throw new PemException(file, "unusable public key: " + e.getMessage(), e);
        }
      }
    }
    throw new PemException(file, "no PUBLIC KEY block found");
  }

  /** PEM text of {@code objects} (certificates, keys — keys are written as PKCS#8). */
  public static String encode(Object... objects) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      for (Object object : objects) {
        if (object instanceof PrivateKey key) {
          writer.writeObject(new JcaPKCS8Generator(key, null));
        } else {
          writer.writeObject(object);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing PEM to memory", e);
    }
    return text.toString();
  }

  private static List<Object> objects(Path file) throws PemException {
    List<Object> objects = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        objects.add(object);
      }
    } catch (NoSuchFileException e) {
      throw new PemException(file, "no such file", e);
    } catch (IOException e) {
      throw new PemException(file, "not readable as PEM: " + e.getMessage(), e);
    }
    return objects;
  }
}
