package dev.ringway.core.dtls;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The server's stateless front door (RFC 9147 §5.1). The caller hands it every datagram from an
 * address that has no session yet, before creating anything. A ClientHello without a valid cookie
 * is answered with a HelloRetryRequest carrying an HMAC cookie bound to the caller's address bytes,
 * a time bucket and Hash(ClientHello1), written into the caller's buffer and never larger than the
 * ClientHello that caused it; nothing is kept and nothing is retransmitted. A ClientHello with a
 * valid cookie is {@link Verdict#ACCEPT}ed and {@link #accepted()} hands what {@link
 * DtlsSession#server} needs to continue the transcript with message_hash (RFC 8446 §4.4.1).
 *
 * <p>Memory is bounded whatever the number of sources: a fragmented ClientHello (a post-quantum key
 * share makes it span two datagrams) is reassembled in a fixed table of {@value #SLOTS} slots of at
 * most {@value #MAX_HELLO} bytes each, shared by all sources; the oldest slot is evicted when the
 * table is full and a slot expires after two seconds. Garbage, truncated records, other epochs and
 * bad cookies are dropped and counted, with no allocation per datagram.
 *
 * <p>Cookies carry a 30-second bucket of the caller's monotonic clock and are accepted in that
 * bucket and the next, so a cookie lives 30 to 60 seconds; the clock given to the gate must be the
 * same one for the whole process (e.g. {@code System.nanoTime()}).
 *
 * <p>Single-threaded: call it from the I/O thread only.
 */
public final class DtlsCookieGate {
  /** What the caller does with the datagram it handed in. */
  public enum Verdict {
    /** Dropped (counted in the stats); nothing to send. */
    DROP,
    /** A HelloRetryRequest was written to the reply buffer: send it back to the source. */
    REPLY,
    /** Part of a fragmented ClientHello was kept; nothing to send yet. */
    PENDING,
    /** A ClientHello with a valid cookie: create the session from {@link #accepted()}. */
    ACCEPT
  }

  /** A cookie-validated ClientHello, to pass to {@link DtlsSession#server}. */
  public static final class Accepted {
    final byte[] clientHello;
    final int messageSeq;
    final byte[] firstHelloHash;
    final CipherSuite suite;
    final int hrrGroup;
    final byte[] cookie;
    final long recordSeq;

    Accepted(
        byte[] clientHello,
        int messageSeq,
        byte[] firstHelloHash,
        CipherSuite suite,
        int hrrGroup,
        byte[] cookie,
        long recordSeq) {
      this.recordSeq = recordSeq;
      this.clientHello = clientHello;
      this.messageSeq = messageSeq;
      this.firstHelloHash = firstHelloHash;
      this.suite = suite;
      this.hrrGroup = hrrGroup;
      this.cookie = cookie;
    }
  }

  static final int SLOTS = 64;
  static final int MAX_HELLO = 4096;
  private static final long SLOT_EXPIRY_NANOS = 2_000_000_000L;
  private static final long BUCKET_NANOS = 30_000_000_000L;
  private static final int TAG = 16;
  private static final int MAX_ADDRESS = 32;

  private final CipherSuite[] suites;
  private final NamedGroup[] groups;
  private final DtlsStats stats;
  private final MessageDigest hmacDigest;
  private final byte[] innerPad = new byte[64];
  private final byte[] outerPad = new byte[64];
  private final MessageDigest sha256;
  private final MessageDigest sha384;
  private final byte[] hello = new byte[MAX_HELLO];
  private final byte[] cookie = new byte[10 + 48 + TAG];
  private final byte[] tag = new byte[32];
  private final byte[] hashOut = new byte[48];
  private final byte[] header = new byte[4];
  private final byte[] hrr = new byte[512];
  private final Slot[] slots = new Slot[SLOTS];
  private Accepted accepted;

  private static final class Slot {
    final byte[] address = new byte[MAX_ADDRESS];
    int addressLength;
    int messageSeq;
    int total;
    int covered;
    long created;
    boolean used;
    final byte[] data = new byte[MAX_HELLO];
    final long[] bits = new long[MAX_HELLO / 64];
  }

  public DtlsCookieGate(DtlsServerConfig config, DtlsStats stats) {
    this.suites = config.suites().toArray(CipherSuite[]::new);
    this.groups = config.groups().toArray(NamedGroup[]::new);
    this.stats = stats;
    try {
      hmacDigest = MessageDigest.getInstance("SHA-256");
      sha256 = MessageDigest.getInstance("SHA-256");
      sha384 = MessageDigest.getInstance("SHA-384");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    byte[] key = config.cookieSecret();
    if (key.length > 64) {
      key = hmacDigest.digest(key);
    }
    for (int i = 0; i < 64; i++) {
      byte k = i < key.length ? key[i] : 0;
      innerPad[i] = (byte) (k ^ 0x36);
      outerPad[i] = (byte) (k ^ 0x5c);
    }
    for (int i = 0; i < SLOTS; i++) {
      slots[i] = new Slot();
    }
  }

  /** The ClientHello of the last {@link Verdict#ACCEPT}. */
  public Accepted accepted() {
    return accepted;
  }

  /**
   * Judges one datagram (position to limit, left unchanged) from {@code address} (at most 32 bytes,
   * e.g. IP and port). A HelloRetryRequest is written at {@code reply}'s position, which advances.
   */
  public Verdict check(ByteBuffer datagram, byte[] address, long nowNanos, ByteBuffer reply) {
    accepted = null;
    if (address.length > MAX_ADDRESS) {
      throw new IllegalArgumentException("address longer than " + MAX_ADDRESS + " bytes");
    }
    int p = datagram.position();
    int end = datagram.limit();
    Verdict verdict = Verdict.DROP;
    while (end - p >= 13 + 12) {
      int type = datagram.get(p) & 0xff;
      int length = u16(datagram, p + 11);
      if (type != Handshake.CT_HANDSHAKE
          || (datagram.get(p + 1) & 0xff) != 0xfe
          || u16(datagram, p + 3) != 0
          || length < 12
          || p + 13 + length > end) {
        stats.malformed();
        return verdict;
      }
      long recordSeq =
          (long) u16(datagram, p + 5) << 32
              | (u16(datagram, p + 7) & 0xffffL) << 16
              | u16(datagram, p + 9);
      int h = p + 13;
      int msgType = datagram.get(h) & 0xff;
      int total = u24(datagram, h + 1);
      int msgSeq = u16(datagram, h + 4);
      int fragOff = u24(datagram, h + 6);
      int fragLen = u24(datagram, h + 9);
      if (msgType != Handshake.CLIENT_HELLO
          || total > MAX_HELLO
          || total < 40
          || fragOff + fragLen > total
          || 12 + fragLen > length) {
        stats.malformed();
        return verdict;
      }
      if (fragOff == 0 && fragLen == total) {
        datagram.get(h + 12, hello, 0, total);
        return hello(
            hello, total, msgSeq, recordSeq, address, nowNanos, reply, end - datagram.position());
      }
      Slot slot = slot(address, msgSeq, total, nowNanos);
      for (int i = 0; i < fragLen; i++) {
        int at = fragOff + i;
        long bit = 1L << (at & 63);
        if ((slot.bits[at >>> 6] & bit) == 0) {
          slot.bits[at >>> 6] |= bit;
          slot.covered++;
        }
        slot.data[at] = datagram.get(h + 12 + i);
      }
      if (slot.covered == total) {
        slot.used = false;
        return hello(slot.data, total, msgSeq, recordSeq, address, nowNanos, reply, total + 25);
      }
      verdict = Verdict.PENDING;
      p += 13 + length;
    }
    if (verdict == Verdict.DROP) {
      stats.malformed();
    }
    return verdict;
  }

  private Slot slot(byte[] address, int msgSeq, int total, long now) {
    Slot free = null;
    Slot oldest = null;
    for (Slot s : slots) {
      if (s.used && now - s.created > SLOT_EXPIRY_NANOS) {
        s.used = false;
      }
      if (s.used
          && s.messageSeq == msgSeq
          && s.total == total
          && Arrays.equals(s.address, 0, s.addressLength, address, 0, address.length)) {
        return s;
      }
      if (!s.used && free == null) {
        free = s;
      }
      if (s.used && (oldest == null || s.created < oldest.created)) {
        oldest = s;
      }
    }
    Slot s = free != null ? free : oldest;
    s.used = true;
    s.created = now;
    s.messageSeq = msgSeq;
    s.total = total;
    s.covered = 0;
    Arrays.fill(s.bits, 0);
    System.arraycopy(address, 0, s.address, 0, address.length);
    s.addressLength = address.length;
    stats.partialHello();
    return s;
  }

  private Verdict hello(
      byte[] b,
      int len,
      int msgSeq,
      long recordSeq,
      byte[] address,
      long now,
      ByteBuffer reply,
      int requestBytes) {
    int p = 34;
    if (p >= len) {
      return malformed();
    }
    int sidLen = b[p] & 0xff;
    int sidOff = p + 1;
    p = sidOff + sidLen;
    if (sidLen > 32 || p >= len || b[p] != 0) {
      return malformed();
    }
    p++;
    if (p + 2 > len) {
      return malformed();
    }
    int suitesLen = get16(b, p);
    int suitesOff = p + 2;
    p = suitesOff + suitesLen;
    if (p >= len || (suitesLen & 1) != 0) {
      return malformed();
    }
    p += 1 + (b[p] & 0xff);
    if (p + 2 > len || p + 2 + get16(b, p) != len) {
      return malformed();
    }
    p += 2;
    int versionsOff = -1;
    int versionsLen = 0;
    int groupsOff = -1;
    int groupsLen = 0;
    int sharesOff = -1;
    int sharesLen = 0;
    int cookieOff = -1;
    int cookieLen = 0;
    while (p < len) {
      if (p + 4 > len) {
        return malformed();
      }
      int type = get16(b, p);
      int elen = get16(b, p + 2);
      int e = p + 4;
      if (e + elen > len) {
        return malformed();
      }
      switch (type) {
        case Handshake.EXT_SUPPORTED_VERSIONS -> {
          if (elen < 1 || (b[e] & 0xff) != elen - 1) {
            return malformed();
          }
          versionsOff = e + 1;
          versionsLen = elen - 1;
        }
        case Handshake.EXT_SUPPORTED_GROUPS -> {
          if (elen < 2 || get16(b, e) != elen - 2) {
            return malformed();
          }
          groupsOff = e + 2;
          groupsLen = elen - 2;
        }
        case Handshake.EXT_KEY_SHARE -> {
          if (elen < 2 || get16(b, e) != elen - 2) {
            return malformed();
          }
          sharesOff = e + 2;
          sharesLen = elen - 2;
        }
        case Handshake.EXT_COOKIE -> {
          if (elen < 2 || get16(b, e) != elen - 2) {
            return malformed();
          }
          cookieOff = e + 2;
          cookieLen = elen - 2;
        }
        default -> {}
      }
      p = e + elen;
    }
    if (versionsOff < 0 || !contains16(b, versionsOff, versionsLen, Handshake.DTLS13)) {
      return malformed();
    }
    CipherSuite suite = null;
    for (CipherSuite s : suites) {
      if (contains16(b, suitesOff, suitesLen, s.code)) {
        suite = s;
        break;
      }
    }
    if (suite == null) {
      return malformed();
    }
    if (cookieOff >= 0) {
      return verify(b, len, msgSeq, recordSeq, suite, cookieOff, cookieLen, address, now);
    }
    int hrrGroup = 0;
    if (!sharedGroup(b, sharesOff, sharesLen)) {
      for (NamedGroup g : groups) {
        if (groupsOff >= 0 && contains16(b, groupsOff, groupsLen, g.code)) {
          hrrGroup = g.code;
          break;
        }
      }
      if (hrrGroup == 0) {
        return malformed();
      }
    }
    MessageDigest md = suite.hashLength == 48 ? sha384 : sha256;
    header[0] = Handshake.CLIENT_HELLO;
    header[1] = (byte) (len >>> 16);
    header[2] = (byte) (len >>> 8);
    header[3] = (byte) len;
    md.update(header, 0, 4);
    md.update(b, 0, len);
    int h = suite.hashLength;
    try {
      md.digest(cookie, 10, h);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    long bucket = Math.floorDiv(now, BUCKET_NANOS);
    cookie[0] = 1;
    cookie[1] = (byte) (bucket >>> 24);
    cookie[2] = (byte) (bucket >>> 16);
    cookie[3] = (byte) (bucket >>> 8);
    cookie[4] = (byte) bucket;
    Handshake.put16(cookie, 5, suite.code);
    Handshake.put16(cookie, 7, hrrGroup);
    cookie[9] = (byte) h;
    mac(address, cookie, 10 + h);
    System.arraycopy(tag, 0, cookie, 10 + h, TAG);
    int cookieTotal = 10 + h + TAG;
    int bodyLen =
        Handshake.writeHrr(hrr, 0, b, sidOff, sidLen, suite.code, hrrGroup, cookie, 0, cookieTotal);
    int recordLen = 13 + 12 + bodyLen;
    if (recordLen > requestBytes || reply.remaining() < recordLen) {
      stats.unexpected();
      return Verdict.DROP;
    }
    reply.put((byte) Handshake.CT_HANDSHAKE).put((byte) 0xfe).put((byte) 0xfd).putShort((short) 0);
    reply.putShort((short) (recordSeq >>> 32)).putInt((int) recordSeq);
    reply.putShort((short) (12 + bodyLen));
    reply.put((byte) Handshake.SERVER_HELLO).put((byte) (bodyLen >>> 16)).putShort((short) bodyLen);
    reply.putShort((short) msgSeq);
    reply.put((byte) 0).putShort((short) 0);
    reply.put((byte) (bodyLen >>> 16)).putShort((short) bodyLen);
    reply.put(hrr, 0, bodyLen);
    stats.hrr();
    stats.cookieSent();
    return Verdict.REPLY;
  }

  private boolean sharedGroup(byte[] b, int off, int len) {
    if (off < 0) {
      return false;
    }
    for (NamedGroup g : groups) {
      int p = off;
      while (p + 4 <= off + len) {
        int group = get16(b, p);
        int n = get16(b, p + 2);
        if (group == g.code) {
          return true;
        }
        p += 4 + n;
      }
    }
    return false;
  }

  private Verdict verify(
      byte[] b,
      int len,
      int msgSeq,
      long recordSeq,
      CipherSuite suite,
      int off,
      int n,
      byte[] address,
      long now) {
    int h = n - 10 - TAG;
    if ((h != 32 && h != 48) || b[off] != 1 || (b[off + 9] & 0xff) != h) {
      stats.badCookie();
      return Verdict.DROP;
    }
    System.arraycopy(b, off, cookie, 0, n);
    mac(address, cookie, 10 + h);
    int diff = 0;
    for (int i = 0; i < TAG; i++) {
      diff |= tag[i] ^ cookie[10 + h + i];
    }
    if (diff != 0) {
      stats.badCookie();
      return Verdict.DROP;
    }
    long bucket =
        (cookie[1] & 0xffL) << 24
            | (cookie[2] & 0xffL) << 16
            | (cookie[3] & 0xffL) << 8
            | (cookie[4] & 0xffL);
    long current = Math.floorDiv(now, BUCKET_NANOS) & 0xffffffffL;
    if (bucket != current && bucket != ((current - 1) & 0xffffffffL)) {
      stats.badCookie();
      return Verdict.DROP;
    }
    CipherSuite cookieSuite = CipherSuite.byCode(get16(cookie, 5));
    if (cookieSuite == null || cookieSuite.hashLength != h || cookieSuite != suite) {
      stats.badCookie();
      return Verdict.DROP;
    }
    stats.cookieAccepted();
    accepted =
        new Accepted(
            Arrays.copyOf(b, len),
            msgSeq,
            Arrays.copyOfRange(cookie, 10, 10 + h),
            suite,
            get16(cookie, 7),
            Arrays.copyOf(cookie, n),
            recordSeq);
    return Verdict.ACCEPT;
  }

  /**
   * HMAC-SHA256 (RFC 2104) over the address and the cookie's first {@code len} bytes into {@code
   * tag}, written out over a reused digest because {@code Mac.doFinal} allocates its result.
   */
  private void mac(byte[] address, byte[] data, int len) {
    try {
      hmacDigest.update(innerPad);
      hmacDigest.update(address);
      hmacDigest.update(data, 0, len);
      hmacDigest.digest(tag, 0, 32);
      hmacDigest.update(outerPad);
      hmacDigest.update(tag, 0, 32);
      hmacDigest.digest(tag, 0, 32);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private Verdict malformed() {
    stats.malformed();
    return Verdict.DROP;
  }

  private static boolean contains16(byte[] b, int off, int len, int v) {
    for (int i = off; i + 1 < off + len; i += 2) {
      if (get16(b, i) == v) {
        return true;
      }
    }
    return false;
  }

  private static int get16(byte[] b, int p) {
    return (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
  }

  private static int u16(ByteBuffer b, int p) {
    return (b.get(p) & 0xff) << 8 | (b.get(p + 1) & 0xff);
  }

  private static int u24(ByteBuffer b, int p) {
    return (b.get(p) & 0xff) << 16 | u16(b, p + 1);
  }
}
