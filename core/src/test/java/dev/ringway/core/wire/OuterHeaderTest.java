package dev.ringway.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Digest §1.1 and the vectors of §8.1. */
class OuterHeaderTest {
  private static final HexFormat HEX = HexFormat.of();

  private static ByteBuffer hex(String s) {
    return ByteBuffer.wrap(HEX.parseHex(s.replace(" ", "")));
  }

  @Test
  void h1DecodesVersionFlagsAndSession() throws WireException {
    ByteBuffer in = hex("4865010201000000123456789abcdef0");
    OuterHeader header = OuterHeader.decode(in);
    assertThat(header)
        .isEqualTo(
            new OuterHeader(ProtocolVersion.V1_2, true, false, SessionId.of(0x123456789abcdef0L)));
    assertThat(in.hasRemaining()).isFalse();
  }

  @Test
  void h1EncodesByteForByte() {
    ByteBuffer out = ByteBuffer.allocate(16);
    new OuterHeader(ProtocolVersion.V1_2, true, false, SessionId.of(0x123456789abcdef0L))
        .encode(out);
    assertThat(HEX.formatHex(out.array())).isEqualTo("4865010201000000123456789abcdef0");
  }

  @Test
  void h2FifteenBytesAreInsufficientAndNotConsumed() {
    ByteBuffer in = ByteBuffer.wrap(new byte[15]);
    assertThatThrownBy(() -> OuterHeader.decode(in))
        .isInstanceOf(WireException.class)
        .extracting(e -> ((WireException) e).error())
        .isEqualTo(WireError.INSUFFICIENT_DATA);
    assertThat(in.position()).isZero();
  }

  @ParameterizedTest
  @CsvSource({
    "485f010201000000123456789abcdef0, 0x48 0x5f",
    "5f65010201000000123456789abcdef0, 0x5f 0x65"
  })
  void h3H4WrongMagicIsNamedWithBothBytes(String bytes, String magic) {
    ByteBuffer in = hex(bytes);
    assertThatThrownBy(() -> OuterHeader.decode(in))
        .isInstanceOfSatisfying(
            WireException.class,
            e -> {
              assertThat(e.error()).isEqualTo(WireError.INVALID_MAGIC_NUMBER);
              assertThat(e.detail()).contains(magic);
            });
    assertThat(in.position()).isZero();
  }

  @Test
  void h5RejectNoticeIsTheReservedSessionAtVersion11() throws WireException {
    ByteBuffer out = ByteBuffer.allocate(16);
    OuterHeader.REJECT_NOTICE.encode(out);
    assertThat(HEX.formatHex(out.array()))
        .isEqualTo("48650101000000 00ffffffffffffffff".replace(" ", ""));
    out.flip();
    assertThat(OuterHeader.isRejectNotice(out, 0)).isTrue();
    assertThat(OuterHeader.decode(out).session()).isEqualTo(SessionId.REJECTED);
  }

  @ParameterizedTest
  @CsvSource({"1, 0", "1, 4", "0, 1", "2, 1", "255, 255"})
  void unsupportedVersionsAreRejectedAfterTheMagic(int major, int minor) {
    ByteBuffer in =
        hex(
            "4865"
                + HEX.toHexDigits((byte) major)
                + HEX.toHexDigits((byte) minor)
                + "000000000000000000000001");
    assertThatThrownBy(() -> OuterHeader.decode(in))
        .isInstanceOfSatisfying(
            WireException.class,
            e -> {
              assertThat(e.error()).isEqualTo(WireError.INVALID_PROTOCOL_VERSION);
              assertThat(e.detail()).contains(major + "." + minor);
            });
    assertThat(in.position()).isZero();
  }

  @Test
  void magicIsCheckedBeforeVersion() {
    ByteBuffer in = hex("00000900000000000000000000000001");
    assertThatThrownBy(() -> OuterHeader.decode(in))
        .extracting(e -> ((WireException) e).error())
        .isEqualTo(WireError.INVALID_MAGIC_NUMBER);
  }

  @Test
  void reservedBytesAndNonZeroFlagBytesAreIgnoredOnDecode() throws WireException {
    OuterHeader header = OuterHeader.decode(hex("48650103ff07abcd0000000000000001"));
    assertThat(header.aggressive()).isTrue();
    assertThat(header.expresslane()).isTrue();
    assertThat(header.version()).isEqualTo(ProtocolVersion.V1_3);
  }

  @Test
  void currentSendersWriteAggressiveZeroAndExpresslaneAsGiven() throws WireException {
    ByteBuffer out = ByteBuffer.allocate(16);
    OuterHeader.encode(out, ProtocolVersion.V1_3, true, SessionId.of(0x0102030405060708L));
    assertThat(HEX.formatHex(out.array())).isEqualTo("48650103000100000102030405060708");
    out.flip();
    assertThat(OuterHeader.check(out)).isSameAs(ProtocolVersion.V1_3);
    assertThat(OuterHeader.expresslaneAt(out, 0)).isTrue();
    assertThat(OuterHeader.sessionAt(out, 0)).isEqualTo(0x0102030405060708L);
    assertThat(out.position()).isZero();
  }

  @Test
  void decodeStartsAtThePositionAndIgnoresTheBufferByteOrder() throws WireException {
    ByteBuffer in =
        hex("aaaa4865010201000000123456789abcdef0").order(java.nio.ByteOrder.LITTLE_ENDIAN);
    in.position(2);
    assertThat(OuterHeader.decode(in).session().value()).isEqualTo(0x123456789abcdef0L);
    assertThat(in.position()).isEqualTo(18);
  }

  @Test
  void sessionIdPrintsAsSixteenHexDigits() {
    assertThat(SessionId.EMPTY).hasToString("0000000000000000");
    assertThat(SessionId.REJECTED).hasToString("ffffffffffffffff");
    assertThat(SessionId.of(0x2f66)).hasToString("0000000000002f66");
    assertThat(SessionId.EMPTY.isReserved()).isTrue();
    assertThat(SessionId.REJECTED.isReserved()).isTrue();
    assertThat(SessionId.fromHex("123456789abcdef0").value()).isEqualTo(0x123456789abcdef0L);
  }

  @Test
  void randomSessionIdsAreNeverReserved() {
    // A generator that yields the reserved values first must be re-drawn past them.
    long[] values = {0L, -1L, 0L, 42L};
    var scripted =
        new java.util.random.RandomGenerator() {
          int i;

          @Override
          public long nextLong() {
            return values[i++];
          }
        };
    assertThat(SessionId.random(scripted).value()).isEqualTo(42L);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 1000; i++) {
      assertThat(SessionId.random(random).isReserved()).isFalse();
    }
  }

  @Test
  void protocolVersionsOneOneToOneThreeAreSupported() throws WireException {
    assertThat(ProtocolVersion.parse(1, 1)).isSameAs(ProtocolVersion.MINIMUM);
    assertThat(ProtocolVersion.parse(1, 3)).isSameAs(ProtocolVersion.MAXIMUM);
    assertThat(ProtocolVersion.parse("1.2")).isEqualTo(ProtocolVersion.V1_2);
    assertThat(new ProtocolVersion(1, 4).isSupported()).isFalse();
    assertThat(new ProtocolVersion(1, 0).isSupported()).isFalse();
    assertThatThrownBy(() -> ProtocolVersion.parse("2.0"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
