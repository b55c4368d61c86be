package dev.ringway.core.wire;

import static dev.ringway.core.wire.BigEndian.u16;
import static dev.ringway.core.wire.BigEndian.u64;
import static dev.ringway.core.wire.BigEndian.u8;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Reusable, allocation-free frame reader for the data path: one instance per loop thread.
 *
 * <p>{@link #next} parses one frame at the buffer's position. For Data and DataFrag kinds (plain or
 * encoded) it only records where the payload is and skips it, so a data packet is neither copied
 * nor wrapped in an object; every other kind is decoded into a {@link Frame} record (control frames
 * are rare). On any error, including {@link WireError#INSUFFICIENT_DATA}, the buffer's position is
 * unchanged and nothing was allocated from an unchecked length.
 */
public final class FrameCursor {
  private int payloadOffset;
  private int payloadLength;
  private int fragmentId;
  private int fragmentOffset;
  private boolean moreFragments;
  private Frame frame;

  /** Parses the frame at the buffer's position and advances past it. */
  public FrameKind next(ByteBuffer in) throws WireException {
    int p = in.position();
    int limit = in.limit();
    if (p >= limit) {
      throw insufficient("frame kind byte", 1, 0);
    }
    FrameKind kind = FrameKind.of(u8(in, p));
    int body = p + 1;
    frame = null;
    int end =
        switch (kind) {
          case NO_OP -> done(body, NoOp.INSTANCE);
          case GOODBYE -> done(body, Goodbye.INSTANCE);
          case PING, PONG -> pingOrPong(in, kind, body, limit);
          case AUTH_REQUEST -> authRequest(in, body, limit);
          case DATA, ENCODED_DATA -> data(in, body, limit);
          case DATA_FRAG, ENCODED_DATA_FRAG -> dataFrag(in, body, limit);
          case AUTH_SUCCESS_WITH_CONFIG_V4 -> authSuccess(in, body, limit);
          case AUTH_FAILURE -> {
            need(limit - body, AuthFailure.BODY_SIZE, "AuthFailure body");
            yield done(body + AuthFailure.BODY_SIZE, AuthFailure.INSTANCE);
          }
          case SERVER_CONFIG -> serverConfig(in, body, limit);
          case ENCODING_REQUEST, ENCODING_RESPONSE -> encoding(in, kind, body, limit);
          case EXPRESSLANE_CONFIG -> expresslaneConfig(in, body, limit);
        };
    in.position(end);
    return kind;
  }

  /** Absolute index in the buffer of the last Data/DataFrag payload. */
  public int payloadOffset() {
    return payloadOffset;
  }

  public int payloadLength() {
    return payloadLength;
  }

  /** Fragment id of the last DataFrag. */
  public int fragmentId() {
    return fragmentId;
  }

  /** Byte offset of the last DataFrag within its packet. */
  public int fragmentOffset() {
    return fragmentOffset;
  }

  /** MF flag of the last DataFrag. */
  public boolean moreFragments() {
    return moreFragments;
  }

  /**
   * The last decoded control frame.
   *
   * @throws IllegalStateException after a Data or DataFrag kind, which is never materialised here
   */
  public Frame frame() {
    if (frame == null) {
      throw new IllegalStateException("the last frame carried data; read its payload position");
    }
    return frame;
  }

  private int done(int end, Frame decoded) {
    frame = decoded;
    return end;
  }

  private int pingOrPong(ByteBuffer in, FrameKind kind, int body, int limit) throws WireException {
    need(limit - body, 4, kind.wireName() + " header");
    int id = u16(in, body);
    int length = u16(in, body + 2);
    need(limit - body - 4, length, kind.wireName() + " payload");
    byte[] payload = copy(in, body + 4, length);
    return done(
        body + 4 + length, kind == FrameKind.PING ? new Ping(id, payload) : new Pong(id, payload));
  }

  private int data(ByteBuffer in, int body, int limit) throws WireException {
    need(limit - body, 2, "Data length");
    int length = u16(in, body);
    need(limit - body - 2, length, "Data payload");
    payloadOffset = body + 2;
    payloadLength = length;
    return body + 2 + length;
  }

  private int dataFrag(ByteBuffer in, int body, int limit) throws WireException {
    need(limit - body, 6, "DataFrag header");
    int length = u16(in, body);
    need(limit - body - 6, length, "DataFrag payload");
    int word = u16(in, body + 4);
    fragmentId = u16(in, body + 2);
    fragmentOffset = DataFrag.offsetOf(word);
    moreFragments = DataFrag.moreFragmentsOf(word);
    payloadOffset = body + 6;
    payloadLength = length;
    return body + 6 + length;
  }

  private int authRequest(ByteBuffer in, int body, int limit) throws WireException {
    need(limit - body, 1, "AuthRequest method");
    int method = u8(in, body);
    int p = body + 1;
    int available = limit - p;
    switch (method) {
      case 1 -> {
        int size = 2 + 2 * AuthRequest.MAX_USER_PASS_BYTES;
        need(available, size, "UserPass body");
        int userLength = u8(in, p);
        int passwordLength = u8(in, p + 1);
        if (userLength > AuthRequest.MAX_USER_PASS_BYTES
            || passwordLength > AuthRequest.MAX_USER_PASS_BYTES) {
          throw new WireException(
              WireError.FIELD_TOO_LARGE,
              "UserPass lengths "
                  + userLength
                  + "/"
                  + passwordLength
                  + " exceed "
                  + AuthRequest.MAX_USER_PASS_BYTES);
        }
        String user = utf8(in, p + 2, userLength, "user");
        String password =
            utf8(in, p + 2 + AuthRequest.MAX_USER_PASS_BYTES, passwordLength, "password");
        return done(p + size, new AuthRequest.UserPass(user, password));
      }
      case 2 -> {
        need(available, 2, "Token length");
        int length = boundedLength(in, p, AuthRequest.MAX_TOKEN_BYTES, "Token");
        need(available - 2, length, "Token");
        return done(p + 2 + length, new AuthRequest.Token(utf8(in, p + 2, length, "token")));
      }
      case 3 -> {
        need(available, 4, "VersionedToken header");
        ProtocolVersion version = ProtocolVersion.parse(u8(in, p), u8(in, p + 1));
        int length =
            boundedLength(in, p + 2, AuthRequest.MAX_VERSIONED_TOKEN_BYTES, "VersionedToken");
        need(available - 4, length, "VersionedToken");
        String token = utf8(in, p + 4, length, "token");
        return done(p + 4 + length, new AuthRequest.VersionedToken(version, token));
      }
      case 23 -> {
        need(available, 2, "CustomCallback length");
        int length = boundedLength(in, p, AuthRequest.MAX_CUSTOM_DATA_BYTES, "CustomCallback");
        need(available - 2, length, "CustomCallback data");
        return done(p + 2 + length, new AuthRequest.CustomCallback(copy(in, p + 2, length)));
      }
      default ->
          throw new WireException(
              WireError.INVALID_ENUM_ENCODING, "auth method " + method + " is unknown");
    }
  }

  private int authSuccess(ByteBuffer in, int body, int limit) throws WireException {
    need(limit - body, AuthSuccessWithConfigV4.BODY_SIZE, "AuthSuccessWithConfigV4 body");
    int slot = AuthSuccessWithConfigV4.SLOT_SIZE;
    String localIp = slotString(in, body, "local_ip");
    String peerIp = slotString(in, body + slot, "peer_ip");
    String dnsIp = slotString(in, body + 2 * slot, "dns_ip");
    String mtu = slotString(in, body + 3 * slot, "mtu");
    SessionId session = SessionId.of(u64(in, body + 4 * slot));
    return done(
        body + AuthSuccessWithConfigV4.BODY_SIZE,
        new AuthSuccessWithConfigV4(localIp, peerIp, dnsIp, mtu, session));
  }

  /** A string ends at the first NUL of its slot, and never after 23 bytes (byte 24 is ignored). */
  private static String slotString(ByteBuffer in, int index, String what) throws WireException {
    int length = 0;
    while (length < AuthSuccessWithConfigV4.MAX_STRING_BYTES && in.get(index + length) != 0) {
      length++;
    }
    return utf8(in, index, length, what);
  }

  private int serverConfig(ByteBuffer in, int body, int limit) throws WireException {
    need(limit - body, 2, "ServerConfig length");
    int length = boundedLength(in, body, ServerConfig.MAX_DATA_BYTES, "ServerConfig");
    need(limit - body - 2, length, "ServerConfig data");
    return done(body + 2 + length, new ServerConfig(copy(in, body + 2, length)));
  }

  private int encoding(ByteBuffer in, FrameKind kind, int body, int limit) throws WireException {
    need(limit - body, 9, kind.wireName() + " body");
    long id = u64(in, body);
    int enable = u8(in, body + 8);
    if (enable > 1) {
      throw new WireException(
          WireError.INVALID_BOOL, kind.wireName() + " enable byte is " + enable + ", not 0 or 1");
    }
    Frame decoded =
        kind == FrameKind.ENCODING_REQUEST
            ? new EncodingRequest(id, enable == 1)
            : new EncodingResponse(id, enable == 1);
    return done(body + 9, decoded);
  }

  private int expresslaneConfig(ByteBuffer in, int body, int limit) throws WireException {
    need(limit - body, ExpresslaneConfig.BODY_SIZE, "ExpresslaneConfig body");
    int flags = u8(in, body + 1);
    ExpresslaneConfig config =
        new ExpresslaneConfig(
            ExpresslaneVersion.of(u8(in, body)),
            (flags & ExpresslaneConfig.FLAG_ENABLED) != 0,
            (flags & ExpresslaneConfig.FLAG_ACK) != 0,
            u64(in, body + 4),
            copy(in, body + 12, ExpresslaneConfig.KEY_BYTES));
    return done(body + ExpresslaneConfig.BODY_SIZE, config);
  }

  /** Reads a u16 length and rejects it before any availability check, as the reference does. */
  private static int boundedLength(ByteBuffer in, int index, int max, String what)
      throws WireException {
    int length = u16(in, index);
    if (length > max) {
      throw new WireException(
          WireError.FIELD_TOO_LARGE, what + " length " + length + " exceeds " + max);
    }
    return length;
  }

  private static void need(int available, int required, String what) throws WireException {
    if (available < required) {
      throw insufficient(what, required, available);
    }
  }

  private static WireException insufficient(String what, int required, int available) {
    return new WireException(
        WireError.INSUFFICIENT_DATA,
        what + " needs " + required + " bytes, " + Math.max(available, 0) + " present");
  }

  /** Copies bytes whose presence was already checked. */
  private static byte[] copy(ByteBuffer in, int index, int length) {
    byte[] bytes = new byte[length];
    in.get(index, bytes);
    return bytes;
  }

  private static String utf8(ByteBuffer in, int index, int length, String what)
      throws WireException {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(in.slice(index, length)).toString();
    } catch (CharacterCodingException e) {
      throw new WireException(WireError.INVALID_STRING_ENCODING, what + " is not valid UTF-8");
    }
  }
}
