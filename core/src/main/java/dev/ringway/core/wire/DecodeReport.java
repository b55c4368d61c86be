package dev.ringway.core.wire;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code ./ringway decode} prints: a captured UDP datagram or frame decoded into an ordered
 * map ready for JSON, or the wire error that stopped it. Byte strings appear as lowercase hex, ids
 * and counters as unsigned numbers, kinds and errors by their digest names.
 */
public final class DecodeReport {
  private static final HexFormat HEX = HexFormat.of();
  private static final int DTLS_RECORD_HEADER = 13;

  private DecodeReport() {}

  /**
   * The outcome of one decode: {@code ok == false} means the command must exit with status 1, and
   * then {@code json} is {@code {"error": <WireError name>, "detail": <text>}}.
   */
  public record DecodeResult(boolean ok, Map<String, Object> json) {}

  /** Decodes a UDP datagram: its outer header, and names what follows it. */
  public static DecodeResult decodeUdp(byte[] datagram) {
    ByteBuffer in = ByteBuffer.wrap(datagram);
    try {
      OuterHeader header = OuterHeader.decode(in);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("header", header(header));
      json.put("payload", payload(header, in));
      return new DecodeResult(true, json);
    } catch (WireException e) {
      return failure(e);
    }
  }

  /** Decodes one frame, as found inside (D)TLS application data. */
  public static DecodeResult decodeFrame(byte[] frame) {
    ByteBuffer in = ByteBuffer.wrap(frame);
    try {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("frame", frame(FrameCodec.decode(in)));
      if (in.hasRemaining()) {
        json.put("trailing_bytes", in.remaining());
      }
      return new DecodeResult(true, json);
    } catch (WireException e) {
      return failure(e);
    }
  }

  /**
   * Parses hex digits, ignoring all whitespace (so a pasted hex dump works).
   *
   * @throws IllegalArgumentException naming the first bad character and its position, or an odd
   *     number of digits
   */
  public static byte[] parseHex(String text) {
    StringBuilder digits = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        continue;
      }
      if (Character.digit(c, 16) < 0) {
        throw new IllegalArgumentException(
            "not a hex digit: '" + c + "' at character " + (i + 1) + " of the input");
      }
      digits.append(c);
    }
    if (digits.length() % 2 != 0) {
      throw new IllegalArgumentException(
          "odd number of hex digits (" + digits.length() + "): bytes need two digits each");
    }
    return HEX.parseHex(digits);
  }

  private static DecodeResult failure(WireException e) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("error", e.error().wireName());
    json.put("detail", e.detail());
    return new DecodeResult(false, json);
  }

  private static Map<String, Object> header(OuterHeader header) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("version", header.version().toString());
    json.put("aggressive", header.aggressive());
    json.put("expresslane", header.expresslane());
    json.put("session", header.session().toString());
    return json;
  }

  private static Map<String, Object> payload(OuterHeader header, ByteBuffer in)
      throws WireException {
    Map<String, Object> json = new LinkedHashMap<>();
    int length = in.remaining();
    if (header.expresslane()) {
      json.put("kind", "expresslane");
      json.put("length", length);
      expresslane(in, json);
    } else if (length == 0 && header.session().equals(SessionId.REJECTED)) {
      json.put("kind", "rejectNotice");
      json.put("length", 0);
    } else if (length == 0) {
      json.put("kind", "empty");
      json.put("length", 0);
    } else {
      json.put("kind", "dtls");
      json.put("length", length);
      json.put("records", dtlsRecords(in));
    }
    return json;
  }

  /** The 40-byte Expresslane header of digest §2.14; the ciphertext stays opaque. */
  private static void expresslane(ByteBuffer in, Map<String, Object> json) throws WireException {
    int p = in.position();
    if (in.remaining() < ExpresslaneCipher.HEADER_SIZE) {
      throw new WireException(
          WireError.INSUFFICIENT_DATA,
          "Expresslane header needs "
              + ExpresslaneCipher.HEADER_SIZE
              + " bytes, "
              + in.remaining()
              + " present");
    }
    int length = BigEndian.u16(in, p + 36);
    int flags = BigEndian.u16(in, p + 38);
    if (in.remaining() - ExpresslaneCipher.HEADER_SIZE < length) {
      throw new WireException(
          WireError.INSUFFICIENT_DATA,
          "Expresslane ciphertext says "
              + length
              + " bytes, "
              + (in.remaining() - ExpresslaneCipher.HEADER_SIZE)
              + " present");
    }
    json.put("counter", unsigned(BigEndian.u64(in, p)));
    json.put("iv", hex(in, p + 8, 12));
    json.put("tag", hex(in, p + 20, 16));
    json.put("ciphertext_length", length);
    json.put("encoded", (flags & ExpresslaneCipher.FLAG_ENCODED) != 0);
    json.put("ciphertext", hex(in, p + ExpresslaneCipher.HEADER_SIZE, length));
  }

  /**
   * The DTLS record headers in the datagram. Plaintext handshake records (epoch 0) also name their
   * handshake message; later epochs are encrypted and stay opaque.
   */
  private static List<Map<String, Object>> dtlsRecords(ByteBuffer in) {
    List<Map<String, Object>> records = new ArrayList<>();
    int p = in.position();
    int limit = in.limit();
    while (p < limit) {
      Map<String, Object> record = new LinkedHashMap<>();
      records.add(record);
      int type = BigEndian.u8(in, p);
      if ((type & 0xe0) == 0x20) {
        // DTLS 1.3 unified header: its layout depends on flag bits; report and stop.
        record.put("content_type", "dtls13Ciphertext");
        record.put("remaining", limit - p);
        break;
      }
      if (limit - p < DTLS_RECORD_HEADER) {
        record.put("content_type", contentType(type));
        record.put("truncated", true);
        record.put("remaining", limit - p);
        break;
      }
      int version = BigEndian.u16(in, p + 1);
      int epoch = BigEndian.u16(in, p + 3);
      long sequence = BigEndian.u64(in, p + 3) & 0xffff_ffff_ffffL;
      int length = BigEndian.u16(in, p + 11);
      record.put("content_type", contentType(type));
      record.put("version", dtlsVersion(version));
      record.put("epoch", epoch);
      record.put("sequence", sequence);
      record.put("length", length);
      int body = p + DTLS_RECORD_HEADER;
      if (type == 22 && epoch == 0 && length > 0 && body < limit) {
        record.put("handshake", handshakeType(BigEndian.u8(in, body)));
      }
      if (limit - body < length) {
        record.put("truncated", true);
        break;
      }
      p = body + length;
    }
    return records;
  }

  private static String contentType(int type) {
    return switch (type) {
      case 20 -> "changeCipherSpec";
      case 21 -> "alert";
      case 22 -> "handshake";
      case 23 -> "applicationData";
      case 25 -> "tls12Cid";
      case 26 -> "ack";
      default -> "unknown(" + type + ")";
    };
  }

  private static String dtlsVersion(int version) {
    return switch (version) {
      case 0xfeff -> "DTLS 1.0";
      case 0xfefd -> "DTLS 1.2";
      case 0xfefc -> "DTLS 1.3";
      default -> String.format("0x%04x", version);
    };
  }

  private static String handshakeType(int type) {
    return switch (type) {
      case 1 -> "ClientHello";
      case 2 -> "ServerHello";
      case 3 -> "HelloVerifyRequest";
      case 4 -> "NewSessionTicket";
      case 8 -> "EncryptedExtensions";
      case 11 -> "Certificate";
      case 12 -> "ServerKeyExchange";
      case 13 -> "CertificateRequest";
      case 14 -> "ServerHelloDone";
      case 15 -> "CertificateVerify";
      case 16 -> "ClientKeyExchange";
      case 20 -> "Finished";
      default -> "unknown(" + type + ")";
    };
  }

  private static Map<String, Object> frame(Frame frame) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("kind", frame.kind().wireName());
    switch (frame) {
      case NoOp n -> {}
      case Goodbye g -> {}
      case AuthFailure a -> {}
      case Ping p -> {
        json.put("id", p.id());
        json.put("payload", HEX.formatHex(p.payload()));
      }
      case Pong p -> {
        json.put("id", p.id());
        json.put("payload", HEX.formatHex(p.payload()));
      }
      case AuthRequest request -> {
        json.put("method", request.method().wireName());
        switch (request) {
          case AuthRequest.UserPass u -> {
            json.put("user", u.user());
            json.put("password", u.password());
          }
          case AuthRequest.Token t -> json.put("token", t.token());
          case AuthRequest.VersionedToken t -> {
            json.put("version", t.version().toString());
            json.put("token", t.token());
          }
          case AuthRequest.CustomCallback c -> json.put("data", HEX.formatHex(c.data()));
        }
      }
      case Data d -> {
        json.put("length", d.payload().length);
        json.put("payload", HEX.formatHex(d.payload()));
      }
      case DataFrag f -> {
        json.put("length", f.payload().length);
        json.put("id", f.fragmentId());
        json.put("offset", f.offset());
        json.put("more_fragments", f.moreFragments());
        json.put("payload", HEX.formatHex(f.payload()));
      }
      case AuthSuccessWithConfigV4 a -> {
        json.put("local_ip", a.localIp());
        json.put("peer_ip", a.peerIp());
        json.put("dns_ip", a.dnsIp());
        json.put("mtu", a.mtu());
        json.put("session", a.session().toString());
      }
      case ServerConfig s -> {
        json.put("length", s.data().length);
        json.put("data", HEX.formatHex(s.data()));
      }
      case EncodingRequest e -> {
        json.put("id", unsigned(e.id()));
        json.put("enable", e.enable());
      }
      case EncodingResponse e -> {
        json.put("id", unsigned(e.id()));
        json.put("enable", e.enable());
      }
      case ExpresslaneConfig e -> {
        json.put("version", versionName(e.version()));
        json.put("enabled", e.enabled());
        json.put("ack", e.ack());
        json.put("counter", unsigned(e.counter()));
        json.put("key", HEX.formatHex(e.key()));
      }
    }
    return json;
  }

  private static String versionName(ExpresslaneVersion version) {
    return switch (version) {
      case UNKNOWN -> "Unknown";
      case V1 -> "V1";
      case V2 -> "V2";
    };
  }

  /** A u64 as a JSON number: a {@code Long} when it fits, else a {@code BigInteger}. */
  private static Number unsigned(long value) {
    return value >= 0 ? value : new BigInteger(Long.toUnsignedString(value));
  }

  private static String hex(ByteBuffer in, int index, int length) {
    byte[] bytes = new byte[length];
    in.get(index, bytes);
    return HEX.formatHex(bytes);
  }
}
