package dev.ringway.core.wire;

import static dev.ringway.core.wire.BigEndian.putU16;
import static dev.ringway.core.wire.BigEndian.putU64;
import static dev.ringway.core.wire.BigEndian.putU8;
import static dev.ringway.core.wire.BigEndian.putZeros;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes whole {@link Frame} records (digest §2). Control paths use this; the data
 * path reads with {@link FrameCursor} and writes Data headers with {@link #encodeDataHeader}.
 */
public final class FrameCodec {
  /** Kind byte plus the u16 length of a Data frame. */
  public static final int DATA_OVERHEAD = 3;

  /** Kind byte plus length, fragment id and offset words of a DataFrag frame. */
  public static final int DATA_FRAG_OVERHEAD = 7;

  private FrameCodec() {}

  /**
   * Decodes one frame at the buffer's position and advances past it; on any error the position is
   * unchanged.
   */
  public static Frame decode(ByteBuffer in) throws WireException {
    FrameCursor cursor = new FrameCursor();
    FrameKind kind = cursor.next(in);
    if (!kind.carriesData()) {
      return cursor.frame();
    }
    byte[] payload = new byte[cursor.payloadLength()];
    in.get(cursor.payloadOffset(), payload);
    boolean encoded = kind.isEncoded();
    if (kind == FrameKind.DATA || kind == FrameKind.ENCODED_DATA) {
      return new Data(encoded, payload);
    }
    return new DataFrag(
        encoded, cursor.fragmentId(), cursor.fragmentOffset(), cursor.moreFragments(), payload);
  }

  /** Bytes {@link #encode} writes for this frame, kind byte included. */
  public static int encodedLength(Frame frame) {
    return 1
        + switch (frame) {
          case NoOp n -> 0;
          case Goodbye g -> 0;
          case Ping p -> 4 + p.payload().length;
          case Pong p -> 4 + p.payload().length;
          case AuthRequest.UserPass u -> 1 + 2 + 2 * AuthRequest.MAX_USER_PASS_BYTES;
          case AuthRequest.Token t -> 1 + 2 + utf8(t.token()).length;
          case AuthRequest.VersionedToken t -> 1 + 4 + utf8(t.token()).length;
          case AuthRequest.CustomCallback c -> 1 + 2 + c.data().length;
          case Data d -> 2 + d.payload().length;
          case DataFrag f -> 6 + f.payload().length;
          case AuthSuccessWithConfigV4 a -> AuthSuccessWithConfigV4.BODY_SIZE;
          case AuthFailure a -> AuthFailure.BODY_SIZE;
          case ServerConfig s -> 2 + s.data().length;
          case EncodingRequest e -> 9;
          case EncodingResponse e -> 9;
          case ExpresslaneConfig e -> ExpresslaneConfig.BODY_SIZE;
        };
  }

  /**
   * Writes the frame big-endian at the buffer's position.
   *
   * @throws BufferOverflowException if it does not fit; nothing is written then
   */
  public static void encode(Frame frame, ByteBuffer out) {
    if (out.remaining() < encodedLength(frame)) {
      throw new BufferOverflowException();
    }
    putU8(out, frame.kind().code());
    switch (frame) {
      case NoOp n -> {}
      case Goodbye g -> {}
      case Ping p -> idAndPayload(out, p.id(), p.payload());
      case Pong p -> idAndPayload(out, p.id(), p.payload());
      case AuthRequest request -> authRequest(out, request);
      case Data d -> {
        putU16(out, d.payload().length);
        out.put(d.payload());
      }
      case DataFrag f -> {
        putU16(out, f.payload().length);
        putU16(out, f.fragmentId());
        putU16(out, DataFrag.offsetWord(f.offset(), f.moreFragments()));
        out.put(f.payload());
      }
      case AuthSuccessWithConfigV4 a -> {
        slotString(out, a.localIp());
        slotString(out, a.peerIp());
        slotString(out, a.dnsIp());
        slotString(out, a.mtu());
        putU64(out, a.session().value());
      }
      case AuthFailure a -> putZeros(out, AuthFailure.BODY_SIZE);
      case ServerConfig s -> {
        putU16(out, s.data().length);
        out.put(s.data());
      }
      case EncodingRequest e -> idAndFlag(out, e.id(), e.enable());
      case EncodingResponse e -> idAndFlag(out, e.id(), e.enable());
      case ExpresslaneConfig e -> {
        putU8(out, e.version().code());
        putU8(
            out,
            (e.enabled() ? ExpresslaneConfig.FLAG_ENABLED : 0)
                | (e.ack() ? ExpresslaneConfig.FLAG_ACK : 0));
        putU16(out, 0);
        putU64(out, e.counter());
        out.put(e.key());
      }
    }
  }

  /** Writes the 3-byte header of a Data frame; the caller writes the payload right after it. */
  public static void encodeDataHeader(ByteBuffer out, int payloadLength) {
    encodeDataHeader(out, false, payloadLength);
  }

  /** Writes the 3-byte header of a Data frame (kind 16 when {@code encoded}). */
  public static void encodeDataHeader(ByteBuffer out, boolean encoded, int payloadLength) {
    requirePayloadLength(payloadLength);
    if (out.remaining() < DATA_OVERHEAD) {
      throw new BufferOverflowException();
    }
    putU8(out, (encoded ? FrameKind.ENCODED_DATA : FrameKind.DATA).code());
    putU16(out, payloadLength);
  }

  /** Writes the 7-byte header of a DataFrag frame; the fragment bytes follow it. */
  public static void encodeDataFragHeader(
      ByteBuffer out,
      boolean encoded,
      int payloadLength,
      int fragmentId,
      int offset,
      boolean moreFragments) {
    requirePayloadLength(payloadLength);
    Bytes.requireU16(fragmentId, "fragment id");
    int word = DataFrag.offsetWord(offset, moreFragments);
    if (out.remaining() < DATA_FRAG_OVERHEAD) {
      throw new BufferOverflowException();
    }
    putU8(out, (encoded ? FrameKind.ENCODED_DATA_FRAG : FrameKind.DATA_FRAG).code());
    putU16(out, payloadLength);
    putU16(out, fragmentId);
    putU16(out, word);
  }

  /**
   * Largest inside packet a Data frame can carry within a packetization-layer MTU (digest §2.5).
   *
   * @throws IllegalArgumentException if {@code plpmtu} leaves no room for a payload
   */
  public static int maxDataPayload(int plpmtu) {
    if (plpmtu <= DATA_OVERHEAD) {
      throw new IllegalArgumentException("PLPMTU " + plpmtu + " leaves no room for Data");
    }
    return Math.min(plpmtu - DATA_OVERHEAD, 0xffff);
  }

  /**
   * Largest DataFrag chunk within a packetization-layer MTU: what is left after the 7-byte
   * overhead, rounded down to a multiple of 8 (digest §2.8).
   *
   * @throws IllegalArgumentException if the MTU is too small or leaves a chunk smaller than 8 bytes
   */
  public static int maxFragmentChunk(int plpmtu) {
    if (plpmtu <= DATA_FRAG_OVERHEAD) {
      throw new IllegalArgumentException("PLPMTU " + plpmtu + " is too small for DataFrag");
    }
    int chunk = Math.min((plpmtu - DATA_FRAG_OVERHEAD) & ~7, 0xfff8);
    if (chunk == 0) {
      throw new IllegalArgumentException("PLPMTU " + plpmtu + " gives a chunk size too small");
    }
    return chunk;
  }

  private static void requirePayloadLength(int length) {
    if (length < 0 || length > 0xffff) {
      throw new IllegalArgumentException("payload length must be 0..65535: " + length);
    }
  }

  private static void idAndPayload(ByteBuffer out, int id, byte[] payload) {
    putU16(out, id);
    putU16(out, payload.length);
    out.put(payload);
  }

  private static void idAndFlag(ByteBuffer out, long id, boolean flag) {
    putU64(out, id);
    putU8(out, flag ? 1 : 0);
  }

  private static void authRequest(ByteBuffer out, AuthRequest request) {
    putU8(out, request.method().code());
    switch (request) {
      case AuthRequest.UserPass u -> {
        byte[] user = utf8(u.user());
        byte[] password = utf8(u.password());
        putU8(out, user.length);
        putU8(out, password.length);
        out.put(user);
        putZeros(out, AuthRequest.MAX_USER_PASS_BYTES - user.length);
        out.put(password);
        putZeros(out, AuthRequest.MAX_USER_PASS_BYTES - password.length);
      }
      case AuthRequest.Token t -> {
        byte[] token = utf8(t.token());
        putU16(out, token.length);
        out.put(token);
      }
      case AuthRequest.VersionedToken t -> {
        byte[] token = utf8(t.token());
        putU8(out, t.version().major());
        putU8(out, t.version().minor());
        putU16(out, token.length);
        out.put(token);
      }
      case AuthRequest.CustomCallback c -> {
        putU16(out, c.data().length);
        out.put(c.data());
      }
    }
  }

  private static void slotString(ByteBuffer out, String s) {
    byte[] bytes = utf8(s);
    out.put(bytes);
    putZeros(out, AuthSuccessWithConfigV4.SLOT_SIZE - bytes.length);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
