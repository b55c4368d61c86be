package dev.ringway.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON-ready maps behind {@code ./ringway decode}. */
class DecodeReportTest {
  private static DecodeReport.DecodeResult udp(String hex) {
    return DecodeReport.decodeUdp(DecodeReport.parseHex(hex));
  }

  private static DecodeReport.DecodeResult frame(String hex) {
    return DecodeReport.decodeFrame(DecodeReport.parseHex(hex));
  }

  @Test
  void udpHeaderFieldsInOrder() {
    var result = udp("4865010300000000 0000000000000001 16fefd0000000000000000000301020304");
    assertThat(result.ok()).isTrue();
    assertThat(result.json()).containsOnlyKeys("header", "payload");
    assertThat(result.json().get("header"))
        .isEqualTo(
            Map.of(
                "version",
                "1.3",
                "aggressive",
                false,
                "expresslane",
                false,
                "session",
                "0000000000000001"));
    assertThat(List.<Object>copyOf(((Map<?, ?>) result.json().get("header")).keySet()))
        .containsExactly("version", "aggressive", "expresslane", "session");
  }

  @Test
  void udpPayloadNamesDtlsRecordsAndPlaintextHandshakeMessages() {
    var result =
        udp(
            "48650103000000000000000000000001"
                + "16fefd000000000000000000020102"
                + "17fefd0001000000000005000200");
    Map<?, ?> payload = (Map<?, ?>) result.json().get("payload");
    assertThat(payload.get("kind")).isEqualTo("dtls");
    assertThat(payload.get("length")).isEqualTo(29);
    List<?> records = (List<?>) payload.get("records");
    assertThat(records).hasSize(2);
    Map<?, ?> hello = (Map<?, ?>) records.get(0);
    assertThat(hello.get("content_type")).isEqualTo("handshake");
    assertThat(hello.get("version")).isEqualTo("DTLS 1.2");
    assertThat(hello.get("handshake")).isEqualTo("ClientHello");
    Map<?, ?> data = (Map<?, ?>) records.get(1);
    assertThat(data.get("content_type")).isEqualTo("applicationData");
    assertThat(data.get("epoch")).isEqualTo(1);
    assertThat(data.get("sequence")).isEqualTo(5L);
    assertThat(data.get("truncated")).isEqualTo(true);
  }

  @Test
  void rejectNoticeIsNamed() {
    var result = udp("48 65 01 01 00 00 00 00 ff ff ff ff ff ff ff ff");
    assertThat(result.ok()).isTrue();
    assertThat(result.json().get("payload")).isEqualTo(Map.of("kind", "rejectNotice", "length", 0));
  }

  @Test
  void expresslaneHeaderIsDecoded() {
    String v2 =
        "00000000000000012b2b2b2b2b2b2b2b2b2b2b2b99729ab5a6261acd578ce423075905ed00218000"
            + "1de0df19db6aa733e1f77938999b312f5310ecc610332f6a94234f38a17987cac8";
    var result = udp("48650103000100 00a1a1a1a1a1a1a1a1".replace(" ", "") + v2);
    assertThat(result.ok()).isTrue();
    Map<?, ?> payload = (Map<?, ?>) result.json().get("payload");
    assertThat(payload.get("kind")).isEqualTo("expresslane");
    assertThat(payload.get("counter")).isEqualTo(1L);
    assertThat(payload.get("tag")).isEqualTo("99729ab5a6261acd578ce423075905ed");
    assertThat(payload.get("ciphertext_length")).isEqualTo(33);
    assertThat(payload.get("encoded")).isEqualTo(true);
  }

  @Test
  void expresslaneShorterThanItsHeaderIsInsufficient() {
    var result = udp("4865010300010000a1a1a1a1a1a1a1a1" + "00".repeat(39));
    assertThat(result.ok()).isFalse();
    assertThat(result.json().get("error")).isEqualTo("InsufficientData");
  }

  @Test
  void udpErrorsNameTheWireError() {
    assertThat(udp("00".repeat(15)).json().get("error")).isEqualTo("InsufficientData");
    var magic = udp("485f010201000000123456789abcdef0");
    assertThat(magic.ok()).isFalse();
    assertThat(magic.json()).containsOnlyKeys("error", "detail");
    assertThat(magic.json().get("error")).isEqualTo("InvalidMagicNumber");
    assertThat(udp("4865010400000000123456789abcdef0").json().get("error"))
        .isEqualTo("InvalidProtocolVersion");
  }

  @Test
  void userPassFrame() {
    var result = frame("040102066d65" + "00".repeat(48) + "736563726574" + "00".repeat(44));
    assertThat(result.ok()).isTrue();
    Map<?, ?> f = (Map<?, ?>) result.json().get("frame");
    assertThat(List.<Object>copyOf(f.keySet()))
        .containsExactly("kind", "method", "user", "password");
    assertThat(f.get("kind")).isEqualTo("AuthRequest");
    assertThat(f.get("method")).isEqualTo("UserPass");
    assertThat(f.get("user")).isEqualTo("me");
    assertThat(f.get("password")).isEqualTo("secret");
  }

  @Test
  void everyKindIsNamedAndItsFieldsListed() {
    assertThat(frameJson("01")).isEqualTo(Map.of("kind", "NoOp"));
    assertThat(frameJson("02f00b0000"))
        .isEqualTo(Map.of("kind", "Ping", "id", 0xf00b, "payload", ""));
    assertThat(frameJson("03abcd0001ff"))
        .isEqualTo(Map.of("kind", "Pong", "id", 0xabcd, "payload", "ff"));
    assertThat(frameJson("040301030005746f6b656e"))
        .isEqualTo(
            Map.of(
                "kind",
                "AuthRequest",
                "method",
                "VersionedToken",
                "version",
                "1.3",
                "token",
                "token"));
    assertThat(frameJson("04020005746f6b656e"))
        .isEqualTo(Map.of("kind", "AuthRequest", "method", "Token", "token", "token"));
    assertThat(frameJson("0417000401020304"))
        .isEqualTo(Map.of("kind", "AuthRequest", "method", "CustomCallback", "data", "01020304"));
    assertThat(frameJson("050003febeaa"))
        .isEqualTo(Map.of("kind", "Data", "length", 3, "payload", "febeaa"));
    assertThat(frameJson("100003febeaa"))
        .isEqualTo(Map.of("kind", "EncodedData", "length", 3, "payload", "febeaa"));
    assertThat(frameJson(FrameVectorsTest.F9))
        .isEqualTo(
            Map.of(
                "kind", "AuthSuccessWithConfigV4",
                "local_ip", "1.1.1.1",
                "peer_ip", "2.2.2.2",
                "dns_ip", "3.3.3.3",
                "mtu", "1500",
                "session", "0000000000002f66"));
    assertThat(frameJson("07" + "00".repeat(52))).isEqualTo(Map.of("kind", "AuthFailure"));
    assertThat(frameJson("0c")).isEqualTo(Map.of("kind", "Goodbye"));
    assertThat(frameJson("0e0002abcd"))
        .isEqualTo(Map.of("kind", "ServerConfig", "length", 2, "data", "abcd"));
    assertThat(frameJson("0f000b12342acf667261676d656e74617279"))
        .isEqualTo(
            Map.of(
                "kind",
                "DataFrag",
                "length",
                11,
                "id",
                0x1234,
                "offset",
                0x5678,
                "more_fragments",
                true,
                "payload",
                "667261676d656e74617279"));
    assertThat(frameJson("11000b12342acf667261676d656e74617279").get("kind"))
        .isEqualTo("EncodedDataFrag");
    assertThat(frameJson("12000000000000020101"))
        .isEqualTo(Map.of("kind", "EncodingRequest", "id", 513L, "enable", true));
    assertThat(frameJson("13ffffffffffffffff00"))
        .isEqualTo(
            Map.of(
                "kind",
                "EncodingResponse",
                "id",
                new BigInteger("18446744073709551615"),
                "enable",
                false));
    assertThat(frameJson("14" + "02800000" + "0000000000000007" + "11".repeat(32)))
        .isEqualTo(
            Map.of(
                "kind",
                "ExpresslaneConfig",
                "version",
                "V2",
                "enabled",
                true,
                "ack",
                false,
                "counter",
                7L,
                "key",
                "11".repeat(32)));
  }

  @Test
  void frameErrorsNameTheWireError() {
    assertThat(frame("").json().get("error")).isEqualTo("InsufficientData");
    assertThat(frame("7f").json().get("error")).isEqualTo("UnknownFrameType");
    assertThat(frame("0405").json().get("error")).isEqualTo("InvalidEnumEncoding");
    assertThat(frame("04020002c328").json().get("error")).isEqualTo("InvalidStringEncoding");
    assertThat(frame("0e0545").json().get("error")).isEqualTo("FieldTooLarge");
    assertThat(frame("040302000000").json().get("error")).isEqualTo("InvalidProtocolVersion");
    assertThat(frame("12000000000000000002").json().get("error")).isEqualTo("InvalidBool");
    assertThat(frame("7f").ok()).isFalse();
    assertThat((String) frame("7f").json().get("detail")).contains("0x7f");
  }

  @Test
  void bytesAfterTheFrameAreCounted() {
    assertThat(frame("0101").json()).containsEntry("trailing_bytes", 1);
    assertThat(frame("01").json()).doesNotContainKey("trailing_bytes");
  }

  @Test
  void parseHexIgnoresWhitespaceAndAcceptsBothCases() {
    assertThat(DecodeReport.parseHex(" 48 65\n0A\tff ")).containsExactly(0x48, 0x65, 0x0a, 0xff);
    assertThat(DecodeReport.parseHex("")).isEmpty();
  }

  @Test
  void parseHexRejectsBadDigitsAndOddLengthClearly() {
    assertThatThrownBy(() -> DecodeReport.parseHex("48 6g"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'g'")
        .hasMessageContaining("character 5");
    assertThatThrownBy(() -> DecodeReport.parseHex("486"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("odd");
  }

  private static Map<?, ?> frameJson(String hex) {
    var result = frame(hex);
    assertThat(result.ok()).as("%s decodes (%s)", hex, result.json()).isTrue();
    return (Map<?, ?>) result.json().get("frame");
  }
}
