package dev.ringway.core.wire;

import static dev.ringway.core.wire.WireTesting.decodeAll;
import static dev.ringway.core.wire.WireTesting.decodeFails;
import static dev.ringway.core.wire.WireTesting.encodeToHex;
import static dev.ringway.core.wire.WireTesting.zeros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The field limits and error precedence of AuthRequest (§2.4) and AuthSuccess (§2.6). */
class AuthFramesTest {
  private static String hexOf(String s) {
    return WireTesting.HEX.formatHex(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String u16(int v) {
    return String.format("%04x", v);
  }

  private static String userPassBody(int userLength, int passwordLength, String user, String pass) {
    return String.format("%02x%02x", userLength, passwordLength) + user + pass;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 4, 5, 22, 24, 255})
  void unknownAuthMethodsAreInvalidEnumEncoding(int method) {
    decodeFails("04" + String.format("%02x", method) + zeros(200), WireError.INVALID_ENUM_ENCODING);
  }

  @Test
  void emptyAuthRequestBodyIsInsufficient() {
    decodeFails("04", WireError.INSUFFICIENT_DATA);
  }

  @Test
  void userPassNeedsAll102BytesBeforeItLooksAtTheLengths() {
    // Lengths of 0xff would be FieldTooLarge, but a short body is InsufficientData first.
    decodeFails("0401ffff" + zeros(99), WireError.INSUFFICIENT_DATA);
  }

  @Test
  void userPassLengthsAbove50AreTooLarge() {
    decodeFails("0401" + userPassBody(51, 0, zeros(50), zeros(50)), WireError.FIELD_TOO_LARGE);
    decodeFails("0401" + userPassBody(0, 51, zeros(50), zeros(50)), WireError.FIELD_TOO_LARGE);
  }

  @Test
  void userPassTooLargePasswordWinsOverABadUser() {
    String badUser = "c328" + zeros(48);
    decodeFails("0401" + userPassBody(2, 51, badUser, zeros(50)), WireError.FIELD_TOO_LARGE);
  }

  @Test
  void userPassInvalidUtf8InUserOrPassword() {
    String bad = "c328" + zeros(48);
    decodeFails("0401" + userPassBody(2, 0, bad, zeros(50)), WireError.INVALID_STRING_ENCODING);
    decodeFails("0401" + userPassBody(0, 2, zeros(50), bad), WireError.INVALID_STRING_ENCODING);
  }

  @Test
  void userPassPaddingContentIsIgnoredAndOnlyTheLengthCounts() throws WireException {
    String user = hexOf("me") + "ff".repeat(48);
    String pass = hexOf("pw") + "c3".repeat(48);
    assertThat(decodeAll("0401" + userPassBody(2, 2, user, pass)))
        .isEqualTo(new AuthRequest.UserPass("me", "pw"));
  }

  @Test
  void userPassOfFiftyBytesEachRoundTrips() throws WireException {
    AuthRequest.UserPass max = new AuthRequest.UserPass("u".repeat(50), "é".repeat(25));
    assertThat(decodeAll(encodeToHex(max))).isEqualTo(max);
    assertThatThrownBy(() -> new AuthRequest.UserPass("u".repeat(51), ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void userPassToStringNeverShowsThePassword() {
    assertThat(new AuthRequest.UserPass("me", "hunter2").toString()).doesNotContain("hunter2");
    assertThat(new AuthRequest.Token("secret-token").toString()).doesNotContain("secret-token");
  }

  @Test
  void tokenLengthAbove1347IsTooLargeEvenWithoutTheBytes() {
    decodeFails("0402" + u16(1348), WireError.FIELD_TOO_LARGE);
    decodeFails("0402" + u16(0xffff) + zeros(10), WireError.FIELD_TOO_LARGE);
  }

  @Test
  void tokenOf1347BytesIsAccepted() throws WireException {
    String token = "t".repeat(1347);
    assertThat(decodeAll("0402" + u16(1347) + hexOf(token)))
        .isEqualTo(new AuthRequest.Token(token));
  }

  @Test
  void tokenShorterThanItsLengthIsInsufficient() {
    decodeFails("0402", WireError.INSUFFICIENT_DATA);
    decodeFails("040200", WireError.INSUFFICIENT_DATA);
    decodeFails("04020005746f6b65", WireError.INSUFFICIENT_DATA);
  }

  @Test
  void tokenMustBeUtf8() {
    decodeFails("04020002c328", WireError.INVALID_STRING_ENCODING);
    decodeFails("04020003eda080", WireError.INVALID_STRING_ENCODING); // UTF-16 surrogate
    decodeFails("04020002c0af", WireError.INVALID_STRING_ENCODING); // overlong '/'
  }

  @Test
  void versionedTokenNeedsFourBytesBeforeTheVersionIsChecked() {
    decodeFails("0403020000", WireError.INSUFFICIENT_DATA);
  }

  @Test
  void versionedTokenVersionIsCheckedBeforeTheLength() {
    decodeFails("04030104ffff", WireError.INVALID_PROTOCOL_VERSION);
    decodeFails("040301000000", WireError.INVALID_PROTOCOL_VERSION);
    decodeFails("040302010005746f6b656e", WireError.INVALID_PROTOCOL_VERSION);
  }

  @Test
  void versionedTokenLengthAbove1345IsTooLarge() {
    decodeFails("04030101" + u16(1346), WireError.FIELD_TOO_LARGE);
  }

  @Test
  void versionedTokenOf1345BytesIsAcceptedAtEveryVersion() throws WireException {
    String token = "v".repeat(1345);
    for (ProtocolVersion version :
        new ProtocolVersion[] {ProtocolVersion.V1_1, ProtocolVersion.V1_2, ProtocolVersion.V1_3}) {
      String hex =
          "0403"
              + String.format("%02x%02x", version.major(), version.minor())
              + u16(1345)
              + hexOf(token);
      assertThat(decodeAll(hex)).isEqualTo(new AuthRequest.VersionedToken(version, token));
    }
  }

  @Test
  void versionedTokenMustBeUtf8AndComplete() {
    decodeFails("040301030002c328", WireError.INVALID_STRING_ENCODING);
    decodeFails("040301030002c3", WireError.INSUFFICIENT_DATA);
  }

  @Test
  void customCallbackLimitsAndBytes() throws WireException {
    decodeFails("0417" + u16(1348), WireError.FIELD_TOO_LARGE);
    decodeFails("0417", WireError.INSUFFICIENT_DATA);
    decodeFails("041700", WireError.INSUFFICIENT_DATA);
    decodeFails("04170004010203", WireError.INSUFFICIENT_DATA);
    assertThat(decodeAll("0417" + u16(1347) + "ff".repeat(1347)))
        .isEqualTo(new AuthRequest.CustomCallback(WireTesting.bytes("ff".repeat(1347))));
  }

  // AuthSuccessWithConfigV4

  private static String slot(String content) {
    return content + zeros(24 - content.length() / 2);
  }

  @Test
  void authSuccessNeeds104Bytes() {
    decodeFails("06" + zeros(103), WireError.INSUFFICIENT_DATA);
  }

  @Test
  void authSuccessAllEmptyStrings() throws WireException {
    assertThat(decodeAll("06" + zeros(104)))
        .isEqualTo(new AuthSuccessWithConfigV4("", "", "", "", SessionId.EMPTY));
  }

  @Test
  void authSuccessStringEndsAtFirstNulAndIgnoresTheRestOfTheSlot() throws WireException {
    String local = hexOf("10.0.0.5") + "00" + "ff".repeat(15);
    Frame frame = decodeAll("06" + local + slot("") + slot("") + slot(hexOf("1350")) + zeros(8));
    assertThat(frame)
        .isEqualTo(new AuthSuccessWithConfigV4("10.0.0.5", "", "", "1350", SessionId.EMPTY));
  }

  @Test
  void authSuccessNonNulTwentyFourthByteIsIgnored() throws WireException {
    String full = hexOf("l".repeat(23) + "A");
    Frame frame = decodeAll("06" + full + full + full + full + "1234567890abcdef");
    String l = "l".repeat(23);
    assertThat(frame)
        .isEqualTo(new AuthSuccessWithConfigV4(l, l, l, l, SessionId.of(0x1234567890abcdefL)));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3})
  void authSuccessInvalidUtf8InAnySlot(int badSlot) {
    StringBuilder hex = new StringBuilder("06");
    for (int i = 0; i < 4; i++) {
      hex.append(i == badSlot ? slot("c328") : slot(""));
    }
    decodeFails(hex + zeros(8), WireError.INVALID_STRING_ENCODING);
  }

  @Test
  void authSuccessUtf8AfterTheNulIsNotValidated() throws WireException {
    String local = "00" + "c3".repeat(23);
    assertThat(decodeAll("06" + local + slot("") + slot("") + slot("") + zeros(8)))
        .isEqualTo(new AuthSuccessWithConfigV4("", "", "", "", SessionId.EMPTY));
  }

  @Test
  void authSuccessClampingCanSplitAMultiByteCharacter() {
    // 22 ASCII bytes, then a 2-byte character whose second byte falls outside the 23 kept bytes.
    String local = hexOf("x".repeat(22)) + "c3a9";
    decodeFails(
        "06" + local + slot("") + slot("") + slot("") + zeros(8),
        WireError.INVALID_STRING_ENCODING);
  }

  @Test
  void authSuccessStringsLongerThan23BytesOrWithNulAreRefusedAtConstruction() {
    assertThatThrownBy(
            () -> new AuthSuccessWithConfigV4("x".repeat(24), "", "", "", SessionId.EMPTY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AuthSuccessWithConfigV4("a\0b", "", "", "", SessionId.EMPTY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void authFailureBodyContentIsSkippedWhateverItHolds() throws WireException {
    assertThat(decodeAll("07" + "ab".repeat(52))).isEqualTo(AuthFailure.INSTANCE);
    decodeFails("07" + zeros(51), WireError.INSUFFICIENT_DATA);
  }
}
