package dev.ringway.core.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bytes allocated per application record once established, sealing and opening on direct buffers,
 * against a baseline of the bare JDK cipher doing one {@code init}, {@code updateAAD} and {@code
 * doFinal} on arrays. JFR shows that baseline is all JDK engine state rebuilt per init (GCM: GHASH
 * tables, GCTR and counter blocks, about 1.1 KB; ChaCha20-Poly1305: the Poly1305 key stream and
 * field elements, about 2.2 KB); the engine must add nothing on top.
 */
class DtlsAllocationTest {
  static final TestPki PKI = new TestPki();
  static final TestPki.Identity EC = PKI.server("EC256", List.of("vpn.example"));

  /**
   * Slack over the baseline: sampling noise and the decrypting engine differing from the encrypting
   * baseline (measured up to about 100 bytes); a copy of a 1200-byte payload exceeds it.
   */
  static final double SLACK = 160;

  private static double baseline(CipherSuite suite) {
    try {
      boolean chacha = suite.chacha();
      Cipher c = Cipher.getInstance(chacha ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding");
      SecretKeySpec key = new SecretKeySpec(new byte[suite.keyLength], chacha ? "ChaCha20" : "AES");
      byte[] nonce = new byte[12];
      byte[] in = new byte[1201];
      byte[] out = new byte[1300];
      byte[] aad = new byte[5];
      long[] n = new long[1];
      return Allocation.perRun(
          20_000,
          () -> {
            try {
              n[0]++;
              for (int i = 0; i < 8; i++) {
                nonce[11 - i] = (byte) (n[0] >>> (8 * i));
              }
              c.init(
                  Cipher.ENCRYPT_MODE,
                  key,
                  chacha ? new IvParameterSpec(nonce) : new GCMParameterSpec(128, nonce));
              c.updateAAD(aad);
              c.doFinal(in, 0, in.length, out, 0);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest
  @EnumSource(CipherSuite.class)
  void sealAndOpenAllocateOnlyWhatTheJdkCipherInitDoes(CipherSuite suite) throws DtlsException {
    Link link =
        new Link(
            DtlsServerConfig.of(EC.chain(), EC.key(), "0123456789abcdef".getBytes())
                .withSuites(List.of(suite)),
            DtlsClientConfig.of(PKI.anchors(), "vpn.example").withSuites(List.of(suite)));
    assertTrue(link.handshake());
    link.runUntil(() -> link.client.nextTimerNanos() == Long.MAX_VALUE, 1_000_000_000L);
    ByteBuffer payload = ByteBuffer.allocateDirect(1200);
    ByteBuffer wire = ByteBuffer.allocateDirect(2048);
    int[] delivered = new int[1];
    DtlsSession.Output capture =
        new DtlsSession.Output() {
          @Override
          public void transmit(ByteBuffer d) {
            wire.clear();
            wire.put(d).flip();
          }

          @Override
          public void deliver(ByteBuffer a) {
            delivered[0] += a.remaining();
          }
        };
    DtlsSession client = link.client;
    DtlsSession server = link.server;
    double seal =
        Allocation.perRun(
            20_000,
            () -> {
              payload.clear();
              client.send(payload, 0, capture);
            });
    double open =
        Allocation.perRun(
            20_000,
            () -> {
              payload.clear();
              client.send(payload, 0, capture);
              try {
                server.receive(wire, 0, capture);
              } catch (DtlsException e) {
                throw new IllegalStateException(e);
              }
            });
    assertEquals(40_000L * 1200, delivered[0], "every record was opened and delivered");
    double openOnly = open - seal;
    double jdk = baseline(suite);
    System.out.printf(
        "%s: seal %.0f bytes/record, open %.0f bytes/record, bare JDK cipher %.0f%n",
        suite, seal, openOnly, jdk);
    assertTrue(seal < jdk + SLACK, suite + " seal allocates " + seal + " vs JDK " + jdk);
    assertTrue(openOnly < jdk + SLACK, suite + " open allocates " + openOnly + " vs JDK " + jdk);
  }
}
