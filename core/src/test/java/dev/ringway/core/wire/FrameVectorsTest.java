package dev.ringway.core.wire;

import static dev.ringway.core.wire.WireTesting.buffer;
import static dev.ringway.core.wire.WireTesting.bytes;
import static dev.ringway.core.wire.WireTesting.decodeAll;
import static dev.ringway.core.wire.WireTesting.decodeFails;
import static dev.ringway.core.wire.WireTesting.encodeToHex;
import static dev.ringway.core.wire.WireTesting.zeros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The frame vectors of digest §8.2 and §8.5–§8.7, each encoded and decoded as listed. */
class FrameVectorsTest {
  static final String F9 =
      "06312e312e312e310000000000000000000000000000000000322e322e322e32000000000000000000000000"
          + "0000000000332e332e332e3300000000000000000000000000000000003135303000000000000000000000"
          + "000000000000000000000000000000002f66";

  static Stream<Arguments> roundTripVectors() {
    return Stream.of(
        Arguments.of("F1", NoOp.INSTANCE, "01"),
        Arguments.of("F2", new Ping(0xf00b), "02f00b0000"),
        Arguments.of("F3", new Pong(0xabcd), "03abcd0000"),
        Arguments.of(
            "F4",
            new AuthRequest.UserPass("me", "secret"),
            "040102066d65" + zeros(48) + "736563726574" + zeros(44)),
        Arguments.of("F5", new AuthRequest.Token("token"), "04020005746f6b656e"),
        Arguments.of(
            "F6",
            new AuthRequest.VersionedToken(ProtocolVersion.V1_3, "token"),
            "040301030005746f6b656e"),
        Arguments.of("F7", new AuthRequest.CustomCallback(bytes("01020304")), "0417000401020304"),
        Arguments.of("F8", new Data(bytes("febeaa")), "050003febeaa"),
        Arguments.of(
            "F9",
            new AuthSuccessWithConfigV4(
                "1.1.1.1", "2.2.2.2", "3.3.3.3", "1500", SessionId.of(0x2f66)),
            F9),
        Arguments.of("F10", AuthFailure.INSTANCE, "07" + zeros(52)),
        Arguments.of("F11", Goodbye.INSTANCE, "0c"),
        Arguments.of(
            "F12",
            new ServerConfig("server config".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
            "0e000d73657276657220636f6e666967"),
        Arguments.of(
            "F13",
            new DataFrag(false, 0x1234, 0x5678, true, "fragmentary".getBytes()),
            "0f000b12342acf667261676d656e74617279"),
        Arguments.of("F14", new EncodingRequest(513, true), "12000000000000020101"),
        Arguments.of("F15", new EncodingResponse(513, true), "13000000000000020101"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("roundTripVectors")
  void encodesToTheVectorBytes(String name, Frame frame, String hex) {
    assertThat(encodeToHex(frame)).isEqualTo(hex);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("roundTripVectors")
  void decodesTheVectorBytes(String name, Frame frame, String hex) throws WireException {
    assertThat(decodeAll(hex)).isEqualTo(frame);
  }

  @Test
  void f4IsOneHundredAndFourBytesAndF9OneHundredAndFive() {
    assertThat(FrameCodec.encodedLength(new AuthRequest.UserPass("me", "secret"))).isEqualTo(104);
    assertThat(bytes(F9)).hasSize(105);
  }

  @Test
  void f16EncodedDataDecodes() throws WireException {
    assertThat(decodeAll("100003febeaa")).isEqualTo(new Data(true, bytes("febeaa")));
  }

  @Test
  void f17EncodedDataFragDecodes() throws WireException {
    assertThat(decodeAll("11000b12342acf667261676d656e74617279"))
        .isEqualTo(new DataFrag(true, 0x1234, 0x5678, true, "fragmentary".getBytes()));
  }

  @Test
  void f18EncodingResponseDisableDecodes() throws WireException {
    assertThat(decodeAll("13000000000000020200")).isEqualTo(new EncodingResponse(514, false));
  }

  @Test
  void f19EmptyBufferIsInsufficient() {
    decodeFails("", WireError.INSUFFICIENT_DATA);
  }

  @Test
  void f20UnknownKindByte() {
    decodeFails("7f", WireError.UNKNOWN_FRAME_TYPE);
  }

  @Test
  void p1PartialFrameWaitsForMoreBytesThenTwoFramesDecode() throws WireException {
    ByteBuffer in = ByteBuffer.allocate(16);
    in.put(bytes("02f00b")).flip();
    assertThatThrownBy(() -> FrameCodec.decode(in))
        .extracting(e -> ((WireException) e).error())
        .isEqualTo(WireError.INSUFFICIENT_DATA);
    assertThat(in.position()).isZero();
    assertThat(in.remaining()).isEqualTo(3);

    in.compact().put(bytes("0000")).put(bytes("01")).flip();
    assertThat(FrameCodec.decode(in)).isEqualTo(new Ping(0xf00b));
    assertThat(FrameCodec.decode(in)).isEqualTo(NoOp.INSTANCE);
    assertThat(in.hasRemaining()).isFalse();
  }

  @Test
  void kindTableAcceptsExactlyTheListedCodes() {
    int[] valid = {1, 2, 3, 4, 5, 6, 7, 12, 14, 15, 16, 17, 18, 19, 20};
    for (int code = 0; code < 256; code++) {
      int candidate = code;
      boolean expected = IntStream.of(valid).anyMatch(c -> c == candidate);
      assertThat(FrameKind.isKnown(code)).as("code %d", code).isEqualTo(expected);
      if (!expected) {
        decodeFails(
            WireTesting.HEX.toHexDigits((byte) code) + zeros(64), WireError.UNKNOWN_FRAME_TYPE);
      }
    }
  }

  // §8.5 Ping / Pong bodies

  @ParameterizedTest
  @ValueSource(strings = {"02", "03"})
  void pp1ThreeBodyBytesAreInsufficient(String kind) {
    decodeFails(kind + "000000", WireError.INSUFFICIENT_DATA);
  }

  @ParameterizedTest
  @ValueSource(strings = {"02", "03"})
  void pp2PayloadShorterThanItsLengthIsInsufficient(String kind) {
    decodeFails(kind + "000003000102", WireError.INSUFFICIENT_DATA);
  }

  @ParameterizedTest
  @ValueSource(strings = {"02", "03"})
  void pp3EmptyPayloadIsFullyConsumed(String kind) throws WireException {
    Frame frame = decodeAll(kind + "12340000");
    assertThat(frame).isIn(new Ping(0x1234), new Pong(0x1234));
  }

  @Test
  void pp4PayloadIsRead() throws WireException {
    byte[] payload = bytes("000102030405060708090a0b0c0d0e0f");
    assertThat(decodeAll("0212340010000102030405060708090a0b0c0d0e0f"))
        .isEqualTo(new Ping(0x1234, payload));
    assertThat(decodeAll("0312340010000102030405060708090a0b0c0d0e0f"))
        .isEqualTo(new Pong(0x1234, payload));
  }

  @Test
  void pp5AndPp6Encode() {
    assertThat(encodeToHex(new Pong(0xdee4))).isEqualTo("03dee40000");
    assertThat(encodeToHex(new Pong(0xdee4, bytes("fffe")))).isEqualTo("03dee40002fffe");
    assertThat(encodeToHex(new Ping(0xdee4, bytes("fffe")))).isEqualTo("02dee40002fffe");
  }

  // §8.6 Data / DataFrag / ServerConfig / Encoding bodies

  @ParameterizedTest
  @ValueSource(strings = {"", "00", "000200"})
  void dataBodiesTooShortAreInsufficient(String body) {
    decodeFails("05" + body, WireError.INSUFFICIENT_DATA);
    decodeFails("10" + body, WireError.INSUFFICIENT_DATA);
  }

  @ParameterizedTest
  @CsvSource({"4, 1", "1200, 1197", "1300, 1297", "1500, 1497"})
  void dataMaxPayloadForPlpmtu(int plpmtu, int mps) {
    assertThat(FrameCodec.maxDataPayload(plpmtu)).isEqualTo(mps);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3})
  void dataMaxPayloadNeedsMoreThanTheOverhead(int plpmtu) {
    assertThatThrownBy(() -> FrameCodec.maxDataPayload(plpmtu))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "00", "0000000000", "00020000000000"})
  void dataFragBodiesTooShortAreInsufficient(String body) {
    decodeFails("0f" + body, WireError.INSUFFICIENT_DATA);
    decodeFails("11" + body, WireError.INSUFFICIENT_DATA);
  }

  @ParameterizedTest
  @CsvSource({
    "15, 8",
    "16, 8",
    "17, 8",
    "18, 8",
    "19, 8",
    "20, 8",
    "21, 8",
    "22, 8",
    "23, 16",
    "24, 16",
    "1200, 1192",
    "1300, 1288",
    "1500, 1488"
  })
  void fragmentChunkForPlpmtu(int plpmtu, int mps) {
    assertThat(FrameCodec.maxFragmentChunk(plpmtu)).isEqualTo(mps);
  }

  @ParameterizedTest
  @CsvSource({"0, too small", "7, too small", "8, chunk size", "14, chunk size"})
  void fragmentChunkRejectsTinyMtus(int plpmtu, String reason) {
    assertThatThrownBy(() -> FrameCodec.maxFragmentChunk(plpmtu))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest
  @CsvSource({
    "0, false, 0000",
    "0, true, 2000",
    "8, false, 0001",
    "8, true, 2001",
    "4096, false, 0200",
    "4096, true, 2200",
    "65528, false, 1fff",
    "65528, true, 3fff"
  })
  void offsetWordTable(int offset, boolean more, String word) {
    int encoded = DataFrag.offsetWord(offset, more);
    assertThat(String.format("%04x", encoded)).isEqualTo(word);
    assertThat(DataFrag.offsetOf(encoded)).isEqualTo(offset);
    assertThat(DataFrag.moreFragmentsOf(encoded)).isEqualTo(more);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 9, 65529, 65535, 65536, -8})
  void offsetsThatAreNotEncodable(int offset) {
    assertThatThrownBy(() -> DataFrag.offsetWord(offset, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void topTwoBitsOfTheOffsetWordAreIgnoredOnDecode() throws WireException {
    assertThat(decodeAll("0f00010001e001aa"))
        .isEqualTo(new DataFrag(false, 1, 8, true, bytes("aa")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "00", "000200"})
  void serverConfigBodiesTooShortAreInsufficient(String body) {
    decodeFails("0e" + body, WireError.INSUFFICIENT_DATA);
  }

  @Test
  void serverConfigLongerThan1348IsTooLarge() {
    decodeFails("0e0545" + zeros(1349), WireError.FIELD_TOO_LARGE);
    decodeFails("0e0545", WireError.FIELD_TOO_LARGE);
  }

  @Test
  void serverConfigOf1348BytesIsAccepted() throws WireException {
    assertThat(decodeAll("0e0544" + zeros(1348))).isEqualTo(new ServerConfig(new byte[1348]));
  }

  @Test
  void encodingBodies() throws WireException {
    assertThat(decodeAll("12000000000000020101")).isEqualTo(new EncodingRequest(513, true));
    assertThat(decodeAll("12000000000000020200")).isEqualTo(new EncodingRequest(514, false));
    assertThat(encodeToHex(new EncodingResponse(514, false))).isEqualTo("13000000000000020200");
    decodeFails("120000000000000201", WireError.INSUFFICIENT_DATA);
    decodeFails("130000000000000201", WireError.INSUFFICIENT_DATA);
  }

  @Test
  void encodingEnableByteOtherThanZeroOrOneIsInvalidBool() {
    decodeFails("12000000000000020102", WireError.INVALID_BOOL);
    decodeFails("130000000000000201ff", WireError.INVALID_BOOL);
  }

  // §8.7 ExpresslaneConfig

  @Test
  void expresslaneConfigVector() throws WireException {
    String body =
        "01c00000123456789abcdef00102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";
    ExpresslaneConfig expected =
        new ExpresslaneConfig(
            ExpresslaneVersion.V1,
            true,
            true,
            0x123456789abcdef0L,
            bytes("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"));
    assertThat(decodeAll("14" + body)).isEqualTo(expected);
    assertThat(encodeToHex(expected)).isEqualTo("14" + body);
  }

  @Test
  void expresslaneConfigShortBodiesAreInsufficient() {
    decodeFails("14", WireError.INSUFFICIENT_DATA);
    decodeFails("14" + zeros(43), WireError.INSUFFICIENT_DATA);
  }

  @ParameterizedTest
  @CsvSource({"00, UNKNOWN", "01, V1", "02, V2", "03, UNKNOWN", "ff, UNKNOWN"})
  void expresslaneVersionByteMapping(String versionByte, ExpresslaneVersion version)
      throws WireException {
    ExpresslaneConfig config = (ExpresslaneConfig) decodeAll("14" + versionByte + zeros(43));
    assertThat(config.version()).isEqualTo(version);
    assertThat(config.enabled()).isFalse();
    assertThat(config.ack()).isFalse();
  }

  @Test
  void expresslaneUnusedFlagBitsAndReservedBytesAreIgnored() throws WireException {
    ExpresslaneConfig config = (ExpresslaneConfig) decodeAll("14023fffff" + zeros(40));
    assertThat(config.enabled()).isFalse();
    assertThat(config.ack()).isFalse();
    assertThat(config.version()).isEqualTo(ExpresslaneVersion.V2);
  }

  @Test
  void framesAreReadFromTheBufferPositionNotItsStart() throws WireException {
    ByteBuffer in = buffer("ffff050003febeaa");
    in.position(2);
    assertThat(FrameCodec.decode(in)).isEqualTo(new Data(bytes("febeaa")));
    assertThat(in.position()).isEqualTo(8);
  }
}
