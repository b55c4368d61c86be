package dev.ringway.core.dtls;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KEM;
import javax.crypto.KeyAgreement;

/**
 * Key-exchange groups. The hybrids concatenate shares and secrets: X25519MLKEM768 puts ML-KEM first
 * (draft-ietf-tls-ecdhe-mlkem); wolfSSL's private P-521+ML-KEM-1024 code point follows the OQS
 * convention of the classical part first.
 */
public enum NamedGroup {
  X25519MLKEM768(0x11ec, null, "ML-KEM-768", true),
  P521_MLKEM1024(0x2f4d, "secp521r1", "ML-KEM-1024", false),
  SECP256R1(0x0017, "secp256r1", null, false),
  X25519(0x001d, "X25519", null, false),
  SECP384R1(0x0018, "secp384r1", null, false),
  SECP521R1(0x0019, "secp521r1", null, false);

  final int code;
  private final String classical;
  private final String kem;
  private final boolean kemFirst;

  NamedGroup(int code, String classical, String kem, boolean kemFirst) {
    this.code = code;
    this.classical = classical == null ? "X25519" : classical;
    this.kem = kem;
    this.kemFirst = kemFirst;
  }

  /** The IANA (or wolfSSL private) code point. */
  public int code() {
    return code;
  }

  static NamedGroup byCode(int code) {
    for (NamedGroup g : values()) {
      if (g.code == code) {
        return g;
      }
    }
    return null;
  }

  /** A client's secret half and the key_share bytes it sends. */
  record ClientShare(NamedGroup group, PrivateKey classicalKey, PrivateKey kemKey, byte[] share) {}

  /** What a server answers with and the shared secret it derived. */
  record ServerShare(byte[] share, byte[] secret) {}

  ClientShare generate() {
    try {
      KeyPair ec = classicalPair();
      byte[] ecPub = encode(ec.getPublic());
      if (kem == null) {
        return new ClientShare(this, ec.getPrivate(), null, ecPub);
      }
      KeyPair k = KeyPairGenerator.getInstance(kem).generateKeyPair();
      byte[] kemPub = rawKem(k.getPublic());
      return new ClientShare(this, ec.getPrivate(), k.getPrivate(), join(kemPub, ecPub));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  ServerShare respond(byte[] clientShare) throws DtlsException {
    try {
      KeyPair ec = classicalPair();
      byte[] ecPub = encode(ec.getPublic());
      if (kem == null) {
        return new ServerShare(ecPub, agree(ec.getPrivate(), clientShare));
      }
      int kemLength = kemPublicLength();
      if (clientShare.length != kemLength + classicalLength()) {
        throw new DtlsException(Alert.ILLEGAL_PARAMETER, "bad " + this + " key share length");
      }
      byte[] kemPart = part(clientShare, true, kemLength);
      byte[] ecPart = part(clientShare, false, kemLength);
      byte[] ecSecret = agree(ec.getPrivate(), ecPart);
      KEM.Encapsulated enc =
          KEM.getInstance("ML-KEM").newEncapsulator(kemPublic(kemPart)).encapsulate();
      byte[] kemSecret = enc.key().getEncoded();
      return new ServerShare(join(enc.encapsulation(), ecPub), join(kemSecret, ecSecret));
    } catch (GeneralSecurityException e) {
      throw new DtlsException(Alert.ILLEGAL_PARAMETER, "bad " + this + " key share", e);
    }
  }

  byte[] finish(ClientShare mine, byte[] serverShare) throws DtlsException {
    try {
      if (kem == null) {
        return agree(mine.classicalKey(), serverShare);
      }
      int ctLength = kemCiphertextLength();
      if (serverShare.length != ctLength + classicalLength()) {
        throw new DtlsException(Alert.ILLEGAL_PARAMETER, "bad " + this + " server share length");
      }
      byte[] ct = part(serverShare, true, ctLength);
      byte[] ecPart = part(serverShare, false, ctLength);
      byte[] kemSecret =
          KEM.getInstance("ML-KEM").newDecapsulator(mine.kemKey()).decapsulate(ct).getEncoded();
      return join(kemSecret, agree(mine.classicalKey(), ecPart));
    } catch (GeneralSecurityException e) {
      throw new DtlsException(Alert.ILLEGAL_PARAMETER, "bad " + this + " server share", e);
    }
  }

  /** Orders the KEM part and the classical part as this group puts them on the wire. */
  private byte[] join(byte[] kemPart, byte[] ecPart) {
    return kemFirst ? concat(kemPart, ecPart) : concat(ecPart, kemPart);
  }

  private byte[] part(byte[] share, boolean kemPart, int kemLength) {
    int ecLength = share.length - kemLength;
    if (kemFirst) {
      return kemPart
          ? Arrays.copyOfRange(share, 0, kemLength)
          : Arrays.copyOfRange(share, kemLength, share.length);
    }
    return kemPart
        ? Arrays.copyOfRange(share, ecLength, share.length)
        : Arrays.copyOfRange(share, 0, ecLength);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private int kemPublicLength() {
    return kem.equals("ML-KEM-768") ? 1184 : 1568;
  }

  private int kemCiphertextLength() {
    return kem.equals("ML-KEM-768") ? 1088 : 1568;
  }

  private int classicalLength() {
    return switch (classical) {
      case "X25519" -> 32;
      case "secp256r1" -> 65;
      case "secp384r1" -> 97;
      default -> 133;
    };
  }

  private KeyPair classicalPair() throws GeneralSecurityException {
    if (classical.equals("X25519")) {
      return KeyPairGenerator.getInstance("X25519").generateKeyPair();
    }
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(classical));
    return g.generateKeyPair();
  }

  private byte[] encode(PublicKey key) {
    if (key instanceof XECPublicKey x) {
      byte[] be = x.getU().toByteArray();
      byte[] le = new byte[32];
      for (int i = 0; i < 32 && i < be.length; i++) {
        le[i] = be[be.length - 1 - i];
      }
      return le;
    }
    ECPoint w = ((ECPublicKey) key).getW();
    int n = (classicalLength() - 1) / 2;
    byte[] out = new byte[1 + 2 * n];
    out[0] = 4;
    fixed(w.getAffineX(), out, 1, n);
    fixed(w.getAffineY(), out, 1 + n, n);
    return out;
  }

  private static void fixed(BigInteger v, byte[] out, int offset, int n) {
    byte[] b = v.toByteArray();
    int copy = Math.min(b.length, n);
    System.arraycopy(b, b.length - copy, out, offset + n - copy, copy);
  }

  private byte[] agree(PrivateKey mine, byte[] peer)
      throws GeneralSecurityException, DtlsException {
    if (peer.length != classicalLength()) {
      throw new DtlsException(Alert.ILLEGAL_PARAMETER, "bad " + this + " share length");
    }
    PublicKey peerKey;
    KeyAgreement ka;
    if (classical.equals("X25519")) {
      byte[] be = new byte[32];
      for (int i = 0; i < 32; i++) {
        be[i] = peer[31 - i];
      }
      be[0] &= 0x7f;
      peerKey =
          KeyFactory.getInstance("X25519")
              .generatePublic(
                  new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
      ka = KeyAgreement.getInstance("X25519");
    } else {
      if (peer[0] != 4) {
        throw new DtlsException(Alert.ILLEGAL_PARAMETER, "compressed or bad EC point");
      }
      int n = (peer.length - 1) / 2;
      ECPoint point =
          new ECPoint(
              new BigInteger(1, Arrays.copyOfRange(peer, 1, 1 + n)),
              new BigInteger(1, Arrays.copyOfRange(peer, 1 + n, peer.length)));
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec(classical));
      peerKey =
          KeyFactory.getInstance("EC")
              .generatePublic(
                  new ECPublicKeySpec(point, p.getParameterSpec(ECParameterSpec.class)));
      ka = KeyAgreement.getInstance("ECDH");
    }
    ka.init(mine);
    ka.doPhase(peerKey, true);
    return ka.generateSecret();
  }

  private byte[] rawKem(PublicKey key) {
    byte[] spki = key.getEncoded();
    return Arrays.copyOfRange(spki, spki.length - kemPublicLength(), spki.length);
  }

  private PublicKey kemPublic(byte[] raw) throws GeneralSecurityException {
    byte[] template = KeyPairGenerator.getInstance(kem).generateKeyPair().getPublic().getEncoded();
    byte[] spki = Arrays.copyOf(template, template.length);
    System.arraycopy(raw, 0, spki, spki.length - raw.length, raw.length);
    return KeyFactory.getInstance("ML-KEM").generatePublic(new X509EncodedKeySpec(spki));
  }
}
