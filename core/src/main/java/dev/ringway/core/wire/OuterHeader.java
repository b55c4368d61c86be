package dev.ringway.core.wire;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The 16-byte clear-text header that starts every Lightway UDP datagram (digest §1.1): magic "He",
 * version, aggressive and Expresslane flags, two reserved bytes and the session id.
 *
 * <p>The data path can avoid this record entirely: {@link #check(ByteBuffer)} validates in place
 * and the {@code *At} readers return the fields as primitives or shared constants.
 */
public record OuterHeader(
    ProtocolVersion version, boolean aggressive, boolean expresslane, SessionId session) {
  public static final int SIZE = 16;
  static final int MAGIC_0 = 'H';
  static final int MAGIC_1 = 'e';

  /** Server → client: "I do not know your session" (digest §1.2). */
  public static final OuterHeader REJECT_NOTICE =
      new OuterHeader(ProtocolVersion.V1_1, false, false, SessionId.REJECTED);

  public OuterHeader {
    Objects.requireNonNull(version);
    Objects.requireNonNull(session);
  }

  /**
   * Decodes a header at the buffer's position, checking length, then magic, then version. Advances
   * by {@link #SIZE} on success only.
   */
  public static OuterHeader decode(ByteBuffer in) throws WireException {
    ProtocolVersion version = check(in);
    int p = in.position();
    OuterHeader header =
        new OuterHeader(
            version,
            in.get(p + 4) != 0,
            in.get(p + 5) != 0,
            SessionId.of(BigEndian.u64(in, p + 8)));
    in.position(p + SIZE);
    return header;
  }

  /**
   * Validates the header at the buffer's position without moving it or allocating on success.
   *
   * @return the header's (supported) version, a shared constant
   */
  public static ProtocolVersion check(ByteBuffer in) throws WireException {
    int p = in.position();
    if (in.limit() - p < SIZE) {
      throw new WireException(
          WireError.INSUFFICIENT_DATA,
          "outer header needs " + SIZE + " bytes, " + (in.limit() - p) + " present");
    }
    int m0 = BigEndian.u8(in, p);
    int m1 = BigEndian.u8(in, p + 1);
    if (m0 != MAGIC_0 || m1 != MAGIC_1) {
      throw new WireException(
          WireError.INVALID_MAGIC_NUMBER,
          String.format("magic is 0x%02x 0x%02x, expected 0x48 0x65 (\"He\")", m0, m1));
    }
    return ProtocolVersion.parse(BigEndian.u8(in, p + 2), BigEndian.u8(in, p + 3));
  }

  /** The Expresslane flag of a header {@linkplain #check checked} at {@code index}. */
  public static boolean expresslaneAt(ByteBuffer in, int index) {
    return in.get(index + 5) != 0;
  }

  /** The session id value of a header {@linkplain #check checked} at {@code index}. */
  public static long sessionAt(ByteBuffer in, int index) {
    return BigEndian.u64(in, index + 8);
  }

  /** Whether the datagram starting at {@code index} and ending at the limit is a reject notice. */
  public static boolean isRejectNotice(ByteBuffer in, int index) {
    return in.limit() - index == SIZE && sessionAt(in, index) == SessionId.REJECTED.value();
  }

  /** Writes this header; the aggressive byte is written as given (current peers always send 0). */
  public void encode(ByteBuffer out) {
    write(out, version, aggressive, expresslane, session.value());
  }

  /** Writes a header as a current sender does (aggressive 0), without allocating. */
  public static void encode(
      ByteBuffer out, ProtocolVersion version, boolean expresslane, SessionId session) {
    write(out, version, false, expresslane, session.value());
  }

  /** Writes a header as a current sender does, with the session as a primitive. */
  public static void encode(
      ByteBuffer out, ProtocolVersion version, boolean expresslane, long session) {
    write(out, version, false, expresslane, session);
  }

  private static void write(
      ByteBuffer out,
      ProtocolVersion version,
      boolean aggressive,
      boolean expresslane,
      long session) {
    if (out.remaining() < SIZE) {
      throw new BufferOverflowException();
    }
    BigEndian.putU8(out, MAGIC_0);
    BigEndian.putU8(out, MAGIC_1);
    BigEndian.putU8(out, version.major());
    BigEndian.putU8(out, version.minor());
    BigEndian.putU8(out, aggressive ? 1 : 0);
    BigEndian.putU8(out, expresslane ? 1 : 0);
    BigEndian.putU16(out, 0);
    BigEndian.putU64(out, session);
  }
}
