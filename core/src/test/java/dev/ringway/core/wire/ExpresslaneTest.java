package dev.ringway.core.wire;

import static dev.ringway.core.wire.WireTesting.HEX;
import static dev.ringway.core.wire.WireTesting.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expresslane data packets and their replay window: digest §2.14 and the vectors of §8.8. */
class ExpresslaneTest {
  private static final long SESSION = 0xa1a1a1a1a1a1a1a1L;
  private static final byte[] KEY = bytes("5a".repeat(32));
  private static final byte[] IV = bytes("2b".repeat(12));
  private static final String PLAINTEXT =
      "657870726573736c616e6520676f6c64656e20766563746f72207061796c6f6164";
  private static final String CIPHERTEXT =
      "1de0df19db6aa733e1f77938999b312f5310ecc610332f6a94234f38a17987cac8";

  private static String seal(ExpresslaneVersion version, boolean encoded) {
    ByteBuffer out = ByteBuffer.allocate(100);
    new ExpresslaneCipher(KEY)
        .seal(out, version, SESSION, 1, IV, encoded, ByteBuffer.wrap(bytes(PLAINTEXT)));
    return HEX.formatHex(out.array(), 0, out.position());
  }

  private static String frame(String tag, String flags) {
    return "0000000000000001" + "2b".repeat(12) + tag + "0021" + flags + CIPHERTEXT;
  }

  @Test
  void goldenPlaintextIsTheDigestsText() {
    assertThat(new String(bytes(PLAINTEXT), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("expresslane golden vector payload");
  }

  @ParameterizedTest
  @CsvSource({
    "V1, true, f8cf6559479de62e9b6bf8cda32be127, 8000",
    "V1, false, f8cf6559479de62e9b6bf8cda32be127, 0000",
    "V2, true, 99729ab5a6261acd578ce423075905ed, 8000",
    "V2, false, 2d5ee0b75c9d1319e0aed5f386808b97, 0000"
  })
  void sealProducesTheGoldenFrames(
      ExpresslaneVersion version, boolean encoded, String tag, String flags) {
    assertThat(seal(version, encoded)).isEqualTo(frame(tag, flags));
  }

  @Test
  void wholeV1AndV2FramesFromTheDigest() {
    assertThat(seal(ExpresslaneVersion.V1, true))
        .isEqualTo(
            "00000000000000012b2b2b2b2b2b2b2b2b2b2b2bf8cf6559479de62e9b6bf8cda32be127002180001de0df19db6aa733e1f77938999b312f5310ecc610332f6a94234f38a17987cac8");
    assertThat(seal(ExpresslaneVersion.V2, true))
        .isEqualTo(
            "00000000000000012b2b2b2b2b2b2b2b2b2b2b2b99729ab5a6261acd578ce423075905ed002180001de0df19db6aa733e1f77938999b312f5310ecc610332f6a94234f38a17987cac8");
  }

  @ParameterizedTest
  @CsvSource({
    "V1, f8cf6559479de62e9b6bf8cda32be127, 8000, true",
    "V2, 99729ab5a6261acd578ce423075905ed, 8000, true",
    "V2, 2d5ee0b75c9d1319e0aed5f386808b97, 0000, false"
  })
  void openRecoversThePlaintext(
      ExpresslaneVersion version, String tag, String flags, boolean encoded) throws WireException {
    ByteBuffer in = WireTesting.buffer(frame(tag, flags));
    ByteBuffer out = ByteBuffer.allocate(64);
    assertThat(new ExpresslaneCipher(KEY).open(in, version, SESSION, out)).isEqualTo(encoded);
    assertThat(HEX.formatHex(out.array(), 0, out.position())).isEqualTo(PLAINTEXT);
    assertThat(in.hasRemaining()).isFalse();
  }

  @Test
  void flippingTheFlagBreaksV2ButNotV1() throws WireException {
    String v2WithClearedFlag = frame("99729ab5a6261acd578ce423075905ed", "0000");
    assertThatThrownBy(() ->
            new ExpresslaneCipher(KEY)
                .open(
                    WireTesting.buffer(v2WithClearedFlag),
                    ExpresslaneVersion.V2,
                    SESSION,
                    ByteBuffer.allocate(64)))
        .isInstanceOfSatisfying(
            WireException.class,
            e -> assertThat(e.error()).isEqualTo(WireError.INVALID_EXPRESS_DATA));
    String v1WithClearedFlag = frame("f8cf6559479de62e9b6bf8cda32be127", "0000");
    assertThat(
            new ExpresslaneCipher(KEY)
                .open(
                    WireTesting.buffer(v1WithClearedFlag),
                    ExpresslaneVersion.V1,
                    SESSION,
                    ByteBuffer.allocate(64)))
        .isFalse();
  }

  @Test
  void wrongSessionOrKeyDoesNotAuthenticateAndLeavesTheBuffer() {
    ByteBuffer in = WireTesting.buffer(frame("f8cf6559479de62e9b6bf8cda32be127", "8000"));
    assertThatThrownBy(() ->
            new ExpresslaneCipher(KEY)
                .open(in, ExpresslaneVersion.V1, SESSION + 1, ByteBuffer.allocate(64)))
        .isInstanceOf(WireException.class);
    assertThatThrownBy(() ->
            new ExpresslaneCipher(bytes("5b".repeat(32)))
                .open(in, ExpresslaneVersion.V1, SESSION, ByteBuffer.allocate(64)))
        .isInstanceOf(WireException.class);
    assertThat(in.position()).isZero();
  }

  @Test
  void shortPacketsAreInsufficient() {
    ByteBuffer shortHeader = ByteBuffer.allocate(39);
    assertThatThrownBy(() ->
            new ExpresslaneCipher(KEY)
                .open(shortHeader, ExpresslaneVersion.V1, SESSION, ByteBuffer.allocate(64)))
        .isInstanceOfSatisfying(
            WireException.class, e -> assertThat(e.error()).isEqualTo(WireError.INSUFFICIENT_DATA));
    String truncated = frame("f8cf6559479de62e9b6bf8cda32be127", "8000");
    ByteBuffer in = WireTesting.buffer(truncated.substring(0, truncated.length() - 2));
    assertThatThrownBy(() ->
            new ExpresslaneCipher(KEY)
                .open(in, ExpresslaneVersion.V1, SESSION, ByteBuffer.allocate(64)))
        .isInstanceOfSatisfying(
            WireException.class, e -> assertThat(e.error()).isEqualTo(WireError.INSUFFICIENT_DATA));
  }

  @Test
  void allZeroKeyIsNoKey() {
    assertThatThrownBy(() -> new ExpresslaneCipher(new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // Replay window cases of §8.8

  private static boolean receive(ReplayWindow window, long counter) {
    if (!window.isFresh(counter)) {
      return false;
    }
    window.accept(counter);
    return true;
  }

  @Test
  void inOrderCountersAreAllAccepted() {
    ReplayWindow window = new ReplayWindow();
    for (long c = 1; c <= 10000; c++) {
      assertThat(receive(window, c)).as("counter %d", c).isTrue();
    }
  }

  @Test
  void aRepeatedCounterIsRejected() {
    ReplayWindow window = new ReplayWindow();
    assertThat(receive(window, 5)).isTrue();
    assertThat(receive(window, 5)).isFalse();
  }

  @Test
  void reorderedCountersAreAcceptedOnce() {
    ReplayWindow window = new ReplayWindow();
    assertThat(receive(window, 100)).isTrue();
    assertThat(receive(window, 98)).isTrue();
    assertThat(receive(window, 99)).isTrue();
    assertThat(receive(window, 98)).isFalse();
  }

  @Test
  void countersMoreThan8191BelowTheHighestAreRejected() {
    ReplayWindow window = new ReplayWindow();
    assertThat(receive(window, 8202)).isTrue();
    assertThat(receive(window, 1)).isFalse();
    assertThat(receive(window, 8202 - 8191)).isTrue();
    assertThat(receive(window, 8202 - 8192)).isFalse();
  }

  @Test
  void counterZeroIsNeverValid() {
    ReplayWindow window = new ReplayWindow();
    assertThat(receive(window, 0)).isFalse();
    assertThat(receive(window, 1)).isTrue();
    assertThat(receive(window, 0)).isFalse();
  }

  @Test
  void aBigJumpForgetsTheOldWindow() {
    ReplayWindow window = new ReplayWindow();
    assertThat(receive(window, 1)).isTrue();
    assertThat(receive(window, 1_000_000)).isTrue();
    assertThat(receive(window, 1)).isFalse();
    assertThat(receive(window, 999_999)).isTrue();
  }

  @Test
  void checkingDoesNotMoveTheWindowOnlyAcceptingDoes() {
    ReplayWindow window = new ReplayWindow();
    assertThat(window.isFresh(50)).isTrue();
    assertThat(window.isFresh(50)).isTrue();
    window.accept(50);
    assertThat(window.isFresh(50)).isFalse();
  }

  @Test
  void slotsReusedAfterTheWindowSlidesAreFreshAgain() {
    ReplayWindow window = new ReplayWindow();
    assertThat(receive(window, 3)).isTrue();
    assertThat(receive(window, 3 + 8192)).isTrue();
    assertThat(receive(window, 3 + 8192 - 1)).isTrue();
    assertThat(receive(window, 3 + 2 * 8192 - 1)).isTrue();
    assertThat(receive(window, 3 + 8192)).isFalse();
  }
}
