package dev.ringway.core.dtls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Handshake message types, extension code points and the codecs of the messages both roles use. */
final class Handshake {
  static final int CLIENT_HELLO = 1;
  static final int SERVER_HELLO = 2;
  static final int ENCRYPTED_EXTENSIONS = 8;
  static final int CERTIFICATE = 11;
  static final int CERTIFICATE_VERIFY = 15;
  static final int FINISHED = 20;
  static final int KEY_UPDATE = 24;
  static final int MESSAGE_HASH = 254;

  static final int EXT_SERVER_NAME = 0;
  static final int EXT_SUPPORTED_GROUPS = 10;
  static final int EXT_SIGNATURE_ALGORITHMS = 13;
  static final int EXT_SUPPORTED_VERSIONS = 43;
  static final int EXT_COOKIE = 44;
  static final int EXT_SIGNATURE_ALGORITHMS_CERT = 50;
  static final int EXT_KEY_SHARE = 51;

  static final int DTLS12 = 0xfefd;
  static final int DTLS13 = 0xfefc;

  static final int CT_ALERT = 21;
  static final int CT_HANDSHAKE = 22;
  static final int CT_APPLICATION = 23;
  static final int CT_ACK = 26;

  /** Handshake messages above this are refused: nothing legitimate here comes near it. */
  static final int MAX_MESSAGE = 65536;

  static final byte[] HRR_RANDOM = sha256("HelloRetryRequest");

  private Handshake() {}

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A message in its TLS form (type, 24-bit length, body): what the transcript hashes. */
  static byte[] message(int type, byte[] body) {
    return new Wire.Writer().u8(type).vec24(body).toArray();
  }

  record KeyShare(int group, byte[] share) {}

  record ClientHello(
      byte[] random,
      byte[] sessionId,
      List<Integer> suites,
      List<Integer> versions,
      List<Integer> groups,
      List<KeyShare> shares,
      List<Integer> signatureSchemes,
      String serverName,
      byte[] cookie) {

    static ClientHello parse(byte[] body) throws DtlsException {
      Wire.Reader r = new Wire.Reader(body);
      r.u16();
      byte[] random = r.bytes(32);
      byte[] sid = r.vec8();
      if (sid.length > 32) {
        throw new DtlsException(Alert.ILLEGAL_PARAMETER, "legacy_session_id too long");
      }
      if (r.vec8().length != 0) {
        throw new DtlsException(Alert.ILLEGAL_PARAMETER, "legacy_cookie must be empty");
      }
      List<Integer> suites = u16s(r.sub16());
      r.vec8();
      List<Integer> versions = List.of();
      List<Integer> groups = List.of();
      List<KeyShare> shares = List.of();
      List<Integer> schemes = List.of();
      String name = null;
      byte[] cookie = null;
      Set<Integer> seen = new HashSet<>();
      if (r.more()) {
        Wire.Reader exts = r.sub16();
        while (exts.more()) {
          int type = exts.u16();
          Wire.Reader e = exts.sub16();
          if (!seen.add(type)) {
            throw new DtlsException(Alert.ILLEGAL_PARAMETER, "duplicate extension " + type);
          }
          switch (type) {
            case EXT_SUPPORTED_VERSIONS -> versions = u16s(e.sub8());
            case EXT_SUPPORTED_GROUPS -> groups = u16s(e.sub16());
            case EXT_SIGNATURE_ALGORITHMS -> schemes = u16s(e.sub16());
            case EXT_COOKIE -> cookie = e.vec16();
            case EXT_SERVER_NAME -> name = serverName(e);
            case EXT_KEY_SHARE -> {
              List<KeyShare> list = new ArrayList<>();
              Wire.Reader ks = e.sub16();
              while (ks.more()) {
                list.add(new KeyShare(ks.u16(), ks.vec16()));
              }
              shares = list;
            }
            default -> {}
          }
        }
      }
      r.done();
      return new ClientHello(random, sid, suites, versions, groups, shares, schemes, name, cookie);
    }

    private static String serverName(Wire.Reader e) throws DtlsException {
      Wire.Reader list = e.sub16();
      while (list.more()) {
        int kind = list.u8();
        byte[] host = list.vec16();
        if (kind == 0) {
          return new String(host, StandardCharsets.US_ASCII);
        }
      }
      return null;
    }
  }

  static List<Integer> u16s(Wire.Reader r) throws DtlsException {
    List<Integer> out = new ArrayList<>();
    while (r.more()) {
      out.add(r.u16());
    }
    return out;
  }

  /** The HelloRetryRequest body, as the session rebuilds it for its transcript. */
  static byte[] helloRetryRequest(
      byte[] sessionId, CipherSuite suite, int groupCode, byte[] cookie) {
    byte[] out = new byte[hrrLength(sessionId.length, groupCode, cookie.length)];
    writeHrr(
        out, 0, sessionId, 0, sessionId.length, suite.code, groupCode, cookie, 0, cookie.length);
    return out;
  }

  static int hrrLength(int sessionIdLength, int groupCode, int cookieLength) {
    return 2 + 32 + 1 + sessionIdLength + 3 + 2 + 6 + (groupCode != 0 ? 6 : 0) + 6 + cookieLength;
  }

  /**
   * Writes a HelloRetryRequest body without allocating, so the stateless cookie gate answers a
   * flood of ClientHellos from its own buffers; returns the bytes written.
   */
  static int writeHrr(
      byte[] out,
      int off,
      byte[] sid,
      int sidOff,
      int sidLen,
      int suiteCode,
      int groupCode,
      byte[] cookie,
      int cookieOff,
      int cookieLen) {
    int p = off;
    p = put16(out, p, DTLS12);
    System.arraycopy(HRR_RANDOM, 0, out, p, 32);
    p += 32;
    out[p++] = (byte) sidLen;
    System.arraycopy(sid, sidOff, out, p, sidLen);
    p += sidLen;
    p = put16(out, p, suiteCode);
    out[p++] = 0;
    p = put16(out, p, 6 + (groupCode != 0 ? 6 : 0) + 6 + cookieLen);
    p = put16(out, p, EXT_SUPPORTED_VERSIONS);
    p = put16(out, p, 2);
    p = put16(out, p, DTLS13);
    if (groupCode != 0) {
      p = put16(out, p, EXT_KEY_SHARE);
      p = put16(out, p, 2);
      p = put16(out, p, groupCode);
    }
    p = put16(out, p, EXT_COOKIE);
    p = put16(out, p, cookieLen + 2);
    p = put16(out, p, cookieLen);
    System.arraycopy(cookie, cookieOff, out, p, cookieLen);
    p += cookieLen;
    return p - off;
  }

  static int put16(byte[] out, int p, int v) {
    out[p] = (byte) (v >>> 8);
    out[p + 1] = (byte) v;
    return p + 2;
  }

  static byte[] serverHello(
      byte[] random, byte[] sessionId, CipherSuite suite, NamedGroup group, byte[] share) {
    Wire.Writer w = new Wire.Writer().u16(DTLS12).bytes(random).vec8(sessionId);
    w.u16(suite.code).u8(0);
    int exts = w.open(2);
    w.u16(EXT_SUPPORTED_VERSIONS).u16(2).u16(DTLS13);
    w.u16(EXT_KEY_SHARE).u16(share.length + 4).u16(group.code).vec16(share);
    return w.close(exts).toArray();
  }

  /** Parsed ServerHello or HelloRetryRequest (the latter has {@code retry} set). */
  record ServerHello(
      boolean retry,
      byte[] sessionId,
      int suite,
      int version,
      int group,
      byte[] share,
      byte[] cookie) {

    static ServerHello parse(byte[] body) throws DtlsException {
      Wire.Reader r = new Wire.Reader(body);
      r.u16();
      byte[] random = r.bytes(32);
      byte[] sid = r.vec8();
      int suite = r.u16();
      if (r.u8() != 0) {
        throw new DtlsException(Alert.ILLEGAL_PARAMETER, "compression in ServerHello");
      }
      boolean retry = java.util.Arrays.equals(random, HRR_RANDOM);
      int version = -1;
      int group = -1;
      byte[] share = null;
      byte[] cookie = null;
      Set<Integer> seen = new HashSet<>();
      Wire.Reader exts = r.sub16();
      while (exts.more()) {
        int type = exts.u16();
        Wire.Reader e = exts.sub16();
        if (!seen.add(type)) {
          throw new DtlsException(Alert.ILLEGAL_PARAMETER, "duplicate extension " + type);
        }
        switch (type) {
          case EXT_SUPPORTED_VERSIONS -> version = e.u16();
          case EXT_KEY_SHARE -> {
            group = e.u16();
            if (!retry) {
              share = e.vec16();
            }
          }
          case EXT_COOKIE -> {
            if (!retry) {
              throw new DtlsException(Alert.UNSUPPORTED_EXTENSION, "cookie in ServerHello");
            }
            cookie = e.vec16();
          }
          default ->
              throw new DtlsException(Alert.UNSUPPORTED_EXTENSION, "unexpected extension " + type);
        }
        e.done();
      }
      r.done();
      return new ServerHello(retry, sid, suite, version, group, share, cookie);
    }
  }
}
