package dev.ringway.core.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Known answers. The key-schedule values are RFC 8448 §3 (simple 1-RTT, TLS_AES_128_GCM_SHA256,
 * label prefix "tls13 "). RFC 9147 publishes no record-number-encryption vectors, so those tests
 * compute the mask independently from §4.2.3's definition with the JDK's own AES and ChaCha20 and
 * compare it with what our sealed records carry.
 */
class DtlsKnownAnswerTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] hex(String s) {
    return HEX.parseHex(s);
  }

  // RFC 8448 §3 published values.
  private static final byte[] ECDHE =
      hex("8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d");
  private static final byte[] HASH_CH_SH =
      hex("860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8");
  private static final byte[] HASH_CH_SF =
      hex("9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13");

  private final KeySchedule tls =
      new KeySchedule(CipherSuite.TLS_AES_128_GCM_SHA256, KeySchedule.TLS_PREFIX);

  @Test
  void rfc8448EarlyHandshakeAndMasterSecrets() {
    byte[] early = tls.earlySecret();
    assertArrayEquals(
        hex("33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a"), early);
    byte[] hs = tls.handshakeSecret(early, ECDHE);
    assertArrayEquals(hex("1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac"), hs);
    assertArrayEquals(
        hex("18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919"),
        tls.masterSecret(hs));
  }

  @Test
  void rfc8448TrafficSecretsKeysAndIvs() {
    byte[] hs = tls.handshakeSecret(tls.earlySecret(), ECDHE);
    byte[] chs = tls.deriveSecret(hs, "c hs traffic", HASH_CH_SH);
    byte[] shs = tls.deriveSecret(hs, "s hs traffic", HASH_CH_SH);
    assertArrayEquals(hex("b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21"), chs);
    assertArrayEquals(hex("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38"), shs);
    KeySchedule.TrafficKeys server = tls.trafficKeys(shs);
    assertArrayEquals(hex("3fce516009c21727d0f2e4e86ee403bc"), server.key());
    assertArrayEquals(hex("5d313eb2671276ee13000b30"), server.iv());
    KeySchedule.TrafficKeys client = tls.trafficKeys(chs);
    assertArrayEquals(hex("dbfaa693d1762c5b666af5d950258d01"), client.key());
    assertArrayEquals(hex("5bd3c71b836e0b76bb73265f"), client.iv());
    byte[] master = tls.masterSecret(hs);
    assertArrayEquals(
        hex("9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5"),
        tls.deriveSecret(master, "c ap traffic", HASH_CH_SF));
    assertArrayEquals(
        hex("a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643"),
        tls.deriveSecret(master, "s ap traffic", HASH_CH_SF));
  }

  @Test
  void rfc8448FinishedIsHmacUnderThePublishedFinishedKey() throws Exception {
    byte[] shs = hex("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38");
    byte[] finishedKey = tls.expandLabel(shs, "finished", new byte[0], 32);
    assertArrayEquals(
        hex("008d3b66f816ea559f96b537e885c31fc068bf492c652f01f288a1d8cdc19fc8"), finishedKey);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(finishedKey, "HmacSHA256"));
    assertArrayEquals(mac.doFinal(HASH_CH_SF), tls.finished(shs, HASH_CH_SF));
  }

  @Test
  void rfc8448ClientApplicationRecordUnderTheDerivedKeys() throws Exception {
    byte[] cap = hex("9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5");
    KeySchedule.TrafficKeys k = tls.trafficKeys(cap);
    assertArrayEquals(hex("17422dda596ed5d9acd890e3c63f5051"), k.key());
    assertArrayEquals(hex("5b78923dee08579033e523d9"), k.iv());
    byte[] payload = new byte[0x32];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    byte[] inner = Arrays.copyOf(payload, payload.length + 1);
    inner[payload.length] = 23;
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(
        Cipher.ENCRYPT_MODE, new SecretKeySpec(k.key(), "AES"), new GCMParameterSpec(128, k.iv()));
    gcm.updateAAD(hex("1703030043"));
    assertArrayEquals(
        hex(
            "a23f7054b62c94d0affafe8228ba55cbefacea42f914aa66bcab3f2b9819a8a5b46b395bd54a9a20441e2b"
                + "62974e1f5a6292a2977014bd1e3deae63aeebb21694915e4"),
        gcm.doFinal(inner));
  }

  @Test
  void rfc8448X25519SharedSecretThroughOurShareEncoding() throws Exception {
    PrivateKey clientPrivate =
        KeyFactory.getInstance("X25519")
            .generatePrivate(
                new XECPrivateKeySpec(
                    NamedParameterSpec.X25519,
                    hex("49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005")));
    NamedGroup.ClientShare mine =
        new NamedGroup.ClientShare(NamedGroup.X25519, clientPrivate, null, new byte[32]);
    byte[] serverPublic = hex("c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f");
    assertArrayEquals(ECDHE, NamedGroup.X25519.finish(mine, serverPublic));
  }

  @Test
  void dtlsLabelsUseTheDtls13Prefix() {
    KeySchedule dtls = new KeySchedule(CipherSuite.TLS_AES_128_GCM_SHA256, KeySchedule.DTLS_PREFIX);
    byte[] secret = new byte[32];
    byte[] info = new byte[2 + 1 + 6 + 3 + 1];
    info[1] = 16;
    info[2] = 9;
    System.arraycopy("dtls13key".getBytes(), 0, info, 3, 9);
    assertEquals(12 + 1, info.length);
    // HKDF-Expand with an all-zero PRK and the RFC 9147 §5.9 label, computed directly from RFC
    // 5869.
    byte[] expected = hkdfExpand(secret, info, 16);
    assertArrayEquals(expected, dtls.trafficKeys(secret).key());
  }

  private static byte[] hkdfExpand(byte[] prk, byte[] info, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      mac.update(info);
      mac.update((byte) 1);
      return Arrays.copyOf(mac.doFinal(), length);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static RecordCipher cipher(CipherSuite suite) {
    KeySchedule ks = new KeySchedule(suite, KeySchedule.DTLS_PREFIX);
    return new RecordCipher(suite, 3, ks.trafficKeys(new byte[suite.hashLength]));
  }

  /** Seals a record with seq {@code seq} and returns its bytes. */
  private static byte[] seal(RecordCipher rc, long seq) {
    rc.nextSendSeq = seq;
    ByteBuffer out = ByteBuffer.allocate(256);
    rc.seal(23, ByteBuffer.wrap("record number encryption".getBytes()), out);
    out.flip();
    byte[] b = new byte[out.remaining()];
    out.get(b);
    return b;
  }

  @Test
  void rfc9147AesMaskIsAesEcbOfTheFirstSixteenCiphertextBytes() throws Exception {
    CipherSuite suite = CipherSuite.TLS_AES_256_GCM_SHA384;
    byte[] record = seal(cipher(suite), 0x1234);
    byte[] sn = new KeySchedule(suite, KeySchedule.DTLS_PREFIX).trafficKeys(new byte[48]).sn();
    Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
    ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sn, "AES"));
    byte[] mask = ecb.doFinal(Arrays.copyOfRange(record, 5, 21));
    assertEquals(0x2f, record[0] & 0xff, "unified header 001CSLEE with C=0 S=1 L=1 epoch 3");
    assertEquals(0x12, (record[1] ^ mask[0]) & 0xff);
    assertEquals(0x34, (record[2] ^ mask[1]) & 0xff);
  }

  @Test
  void rfc9147ChaChaMaskUsesTheLittleEndianCounterAndNonceFromTheCiphertext() throws Exception {
    CipherSuite suite = CipherSuite.TLS_CHACHA20_POLY1305_SHA256;
    byte[] record = seal(cipher(suite), 0xbeef);
    byte[] sn = new KeySchedule(suite, KeySchedule.DTLS_PREFIX).trafficKeys(new byte[32]).sn();
    int counter = ByteBuffer.wrap(record, 5, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    Cipher chacha = Cipher.getInstance("ChaCha20");
    chacha.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(sn, "ChaCha20"),
        new ChaCha20ParameterSpec(Arrays.copyOfRange(record, 9, 21), counter));
    byte[] mask = chacha.doFinal(new byte[16]);
    assertEquals(0xbe, (record[1] ^ mask[0]) & 0xff);
    assertEquals(0xef, (record[2] ^ mask[1]) & 0xff);
  }

  @Test
  void rfc9147AeadUsesTheHeaderWithThePlainSequenceNumberAsAdditionalData() throws Exception {
    CipherSuite suite = CipherSuite.TLS_CHACHA20_POLY1305_SHA256;
    RecordCipher rc = cipher(suite);
    byte[] record = seal(rc, 7);
    KeySchedule.TrafficKeys k =
        new KeySchedule(suite, KeySchedule.DTLS_PREFIX).trafficKeys(new byte[32]);
    byte[] nonce = k.iv().clone();
    nonce[11] ^= 7;
    byte[] aad = Arrays.copyOf(record, 5);
    aad[1] = 0;
    aad[2] = 7;
    Cipher aead = Cipher.getInstance("ChaCha20-Poly1305");
    aead.init(
        Cipher.DECRYPT_MODE, new SecretKeySpec(k.key(), "ChaCha20"), new IvParameterSpec(nonce));
    aead.updateAAD(aad);
    byte[] inner = aead.doFinal(record, 5, record.length - 5);
    assertEquals(23, inner[inner.length - 1]);
    assertEquals("record number encryption", new String(inner, 0, inner.length - 1));
  }

  @Test
  void openedRecordsReconstructTheSequenceNumberAndRefuseReplays() {
    RecordCipher sender = cipher(CipherSuite.TLS_AES_128_GCM_SHA256);
    RecordCipher receiver = cipher(CipherSuite.TLS_AES_128_GCM_SHA256);
    ByteBuffer plain = ByteBuffer.allocate(256);
    long[] seq = new long[1];
    for (long s : new long[] {0xfff0, 0xffff, 0x10000, 0xfffd, 0x10001}) {
      byte[] r = seal(sender, s);
      assertEquals(23, receiver.open(ByteBuffer.wrap(r), 0, 5, r.length, plain, seq, false));
      assertEquals(s, seq[0]);
    }
    byte[] again = seal(sender, 0x10000);
    assertEquals(-2, receiver.open(ByteBuffer.wrap(again), 0, 5, again.length, plain, seq, false));
  }
}
