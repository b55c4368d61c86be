package dev.ringway.core.dtls;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Protection of one epoch in one direction: the AEAD, record-number encryption (RFC 9147 §4.2.3),
 * the next sequence number to send, and the replay window for receiving. Every cipher object and
 * scratch array is made once here, so sealing and opening a record allocates only what the JDK's
 * {@code Cipher.init} does with its parameter spec.
 */
final class RecordCipher {
  static final int TAG = 16;
  static final int HEADER = 5;
  static final int MAX_CONTENT = 16384 + 256;

  /**
   * Size of {@link Scratch#work}: the JDK's ByteBuffer paths copy through temporary arrays (1.3 KB
   * per record measured), its array paths do not, so records are staged through arrays instead.
   */
  static final int WORK = 2 * (MAX_CONTENT + TAG + 1);

  private static final long MAX_SEQ = (1L << 48) - 1;

  final long epoch;
  final CipherSuite suite;
  private final Cipher aead;
  private final SecretKeySpec key;
  private final byte[] iv;
  private final NonceSpecs specs = new NonceSpecs();
  private final Cipher snAes;
  private final ChaCha20 snChaCha;
  private final byte[] sample = new byte[16];
  private final byte[] mask = new byte[16];
  private final byte[] aad = new byte[HEADER];

  long nextSendSeq;

  /**
   * wolfSSL before 5.6.4 (2023) byte-swapped the ChaCha20 counter of the record-number mask on
   * Linux; a session that meets such a peer switches its ciphers to the same reading.
   */
  boolean legacyChaChaCounter;

  private long maxReceived = -1;
  private long window;

  RecordCipher(CipherSuite suite, long epoch, KeySchedule.TrafficKeys keys) {
    this.suite = suite;
    this.epoch = epoch;
    this.iv = keys.iv();
    try {
      if (suite.chacha()) {
        aead = Cipher.getInstance("ChaCha20-Poly1305");
        key = new SecretKeySpec(keys.key(), "ChaCha20");
        snAes = null;
        snChaCha = new ChaCha20(keys.sn());
      } else {
        aead = Cipher.getInstance("AES/GCM/NoPadding");
        key = new SecretKeySpec(keys.key(), "AES");
        snAes = Cipher.getInstance("AES/ECB/NoPadding");
        snAes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.sn(), "AES"));
        snChaCha = null;
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Bytes a record with {@code plaintext} content bytes takes on the wire. */
  static int recordSize(int plaintext) {
    return HEADER + plaintext + 1 + TAG;
  }

  /**
   * Seals {@code plaintext} (position to limit) as one DTLSCiphertext with the unified header (C=0,
   * S=1, L=1) at {@code out}'s position and advances it. Returns the record's sequence number.
   */
  long seal(int contentType, ByteBuffer plaintext, ByteBuffer out) {
    long seq = nextSendSeq;
    if (seq > MAX_SEQ) {
      throw new IllegalStateException("sequence numbers of epoch " + epoch + " exhausted");
    }
    nextSendSeq = seq + 1;
    int start = out.position();
    int length = plaintext.remaining() + 1 + TAG;
    aad[0] = (byte) (0x2c | (epoch & 3));
    aad[1] = (byte) (seq >>> 8);
    aad[2] = (byte) seq;
    aad[3] = (byte) (length >>> 8);
    aad[4] = (byte) length;
    out.put(aad);
    nonce(seq);
    byte[] work = Scratch.get().work;
    int n = plaintext.remaining();
    plaintext.get(work, 0, n);
    work[n] = (byte) contentType;
    try {
      aead.init(Cipher.ENCRYPT_MODE, key, spec());
      aead.updateAAD(aad);
      if (out.hasArray()) {
        aead.doFinal(work, 0, n + 1, out.array(), out.arrayOffset() + out.position());
        out.position(out.position() + n + 1 + TAG);
      } else {
        int half = WORK / 2;
        aead.doFinal(work, 0, n + 1, work, half);
        out.put(work, half, n + 1 + TAG);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    computeMask(out, start + HEADER);
    out.put(start + 1, (byte) (out.get(start + 1) ^ mask[0]));
    out.put(start + 2, (byte) (out.get(start + 2) ^ mask[1]));
    return seq;
  }

  /**
   * Opens the record of {@code length} bytes (header included) at {@code start}: unmasks and
   * reconstructs the sequence number, checks the replay window, decrypts into {@code plain}
   * (cleared first, left flipped to the content) and returns the inner content type, or -1 to drop.
   * {@code lastSeq} receives the reconstructed sequence number.
   */
  int open(
      ByteBuffer in,
      int start,
      int headerLength,
      int length,
      ByteBuffer plain,
      long[] lastSeq,
      boolean tryLegacyMask) {
    int type = openOnce(in, start, headerLength, length, plain, lastSeq);
    if (type < 0 && tryLegacyMask && snChaCha != null) {
      legacyChaChaCounter = !legacyChaChaCounter;
      int other = openOnce(in, start, headerLength, length, plain, lastSeq);
      if (other >= 0) {
        return other;
      }
      legacyChaChaCounter = !legacyChaChaCounter;
    }
    return type;
  }

  private int openOnce(
      ByteBuffer in, int start, int headerLength, int length, ByteBuffer plain, long[] lastSeq) {
    int cipherStart = start + headerLength;
    int cipherLength = length - headerLength;
    if (cipherLength < TAG + 1 || cipherLength > MAX_CONTENT + TAG + 1) {
      return -1;
    }
    int first = in.get(start) & 0xff;
    boolean longSeq = (first & 0x08) != 0;
    computeMask(in, cipherStart);
    int low =
        longSeq
            ? ((in.get(start + 1) ^ mask[0]) & 0xff) << 8 | ((in.get(start + 2) ^ mask[1]) & 0xff)
            : (in.get(start + 1) ^ mask[0]) & 0xff;
    long seq = reconstruct(low, longSeq ? 16 : 8);
    if (seq < 0 || seq > MAX_SEQ || replayed(seq)) {
      return -2;
    }
    int aadLength = headerLength;
    byte[] header = headerLength <= HEADER ? aad : new byte[headerLength];
    for (int i = 0; i < headerLength; i++) {
      header[i] = in.get(start + i);
    }
    header[1] = (byte) (longSeq ? seq >>> 8 : seq);
    if (longSeq) {
      header[2] = (byte) seq;
    }
    nonce(seq);
    byte[] work = Scratch.get().work;
    in.get(cipherStart, work, 0, cipherLength);
    plain.clear();
    try {
      aead.init(Cipher.DECRYPT_MODE, key, spec());
      aead.updateAAD(header, 0, aadLength);
      int n = aead.doFinal(work, 0, cipherLength, plain.array(), plain.arrayOffset());
      plain.limit(n);
    } catch (AEADBadTagException e) {
      return -1;
    } catch (GeneralSecurityException e) {
      return -1;
    }
    int end = plain.limit();
    while (end > 0 && plain.get(end - 1) == 0) {
      end--;
    }
    if (end == 0) {
      return -1;
    }
    int type = plain.get(end - 1) & 0xff;
    plain.limit(end - 1);
    accept(seq);
    lastSeq[0] = seq;
    return type;
  }

  private long reconstruct(int low, int bits) {
    long expected = maxReceived + 1;
    long span = 1L << bits;
    long candidate = (expected & ~(span - 1)) | low;
    if (candidate - expected > span / 2 && candidate >= span) {
      candidate -= span;
    } else if (expected - candidate > span / 2) {
      candidate += span;
    }
    return candidate;
  }

  private boolean replayed(long seq) {
    if (seq > maxReceived) {
      return false;
    }
    long behind = maxReceived - seq;
    return behind >= 64 || (window & (1L << behind)) != 0;
  }

  private void accept(long seq) {
    if (seq > maxReceived) {
      long shift = seq - maxReceived;
      window = shift >= 64 ? 1 : (window << shift) | 1;
      maxReceived = seq;
    } else {
      window |= 1L << (maxReceived - seq);
    }
  }

  private void nonce(long seq) {
    byte[] nonce = specs.next();
    System.arraycopy(iv, 0, nonce, 0, 12);
    for (int i = 0; i < 8; i++) {
      nonce[11 - i] ^= (byte) (seq >>> (8 * i));
    }
  }

  private AlgorithmParameterSpec spec() {
    return suite.chacha() ? specs.chacha : specs.gcm;
  }

  /**
   * The per-record nonce handed to {@code Cipher.init} without a new parameter spec per record:
   * {@code new GCMParameterSpec(128, nonce)} (and its copy of the nonce) was the only allocation
   * per record left in our code. The two specs are made once and answer {@code getIV()} with the
   * current nonce array itself, not a copy.
   *
   * <p>Why two nonce arrays, alternating: the JDK's GCM and ChaCha20-Poly1305 keep the array an
   * encrypting {@code init} was given, to refuse the same key and nonce on the next {@code init};
   * the nonce is read only during {@code init} itself. Writing the next nonce into the array the
   * cipher still holds would make that check compare the array with itself and refuse every record,
   * so each record's nonce goes into the array the cipher does not hold.
   */
  private static final class NonceSpecs {
    private final byte[][] arrays = {new byte[12], new byte[12]};
    private int current;

    final GCMParameterSpec gcm =
        new GCMParameterSpec(TAG * 8, arrays[0]) {
          @Override
          public byte[] getIV() {
            return arrays[current];
          }
        };

    final IvParameterSpec chacha =
        new IvParameterSpec(arrays[0]) {
          @Override
          public byte[] getIV() {
            return arrays[current];
          }
        };

    /** The array to write the next record's nonce into; the specs answer with it from now on. */
    byte[] next() {
      current ^= 1;
      return arrays[current];
    }
  }

  private void computeMask(ByteBuffer buffer, int cipherStart) {
    buffer.get(cipherStart, sample);
    if (snChaCha != null) {
      snChaCha.block(sample, 0, legacyChaChaCounter, mask, 2);
    } else {
      try {
        snAes.doFinal(sample, 0, 16, mask, 0);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The mask of RFC 9147 §4.2.3 for a ciphertext sample, for known-answer tests. */
  byte[] maskFor(byte[] ciphertextSample) {
    computeMask(ByteBuffer.wrap(ciphertextSample), 0);
    return mask.clone();
  }
}
