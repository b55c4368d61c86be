package dev.ringway.core.ip;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Fuzzes the inside-packet path with arbitrary bytes: whatever passes {@link InsidePacket#check}
 * can be translated and clamped without any exception, and translation touches only the header
 * fields and checksums it owns.
 */
class InsidePacketFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void checkedPacketsTranslateAndClampWithoutFailing(FuzzedDataProvider data) {
    int newAddress = data.consumeInt();
    int mss = data.consumeInt(0, 0xffff);
    byte[] packet = data.consumeRemainingAsBytes();
    ByteBuffer buffer = ByteBuffer.wrap(packet);
    if (InsidePacket.check(buffer, 0, packet.length) != InsidePacket.Verdict.VALID) {
      return;
    }
    byte[] before = packet.clone();
    AddressTranslation.rewriteSource(buffer, 0, packet.length, newAddress);
    assertThat(InsidePacket.source(buffer, 0)).isEqualTo(newAddress);
    AddressTranslation.rewriteDestination(buffer, 0, packet.length, newAddress);
    assertThat(InsidePacket.destination(buffer, 0)).isEqualTo(newAddress);
    assertThat(packet).hasSameSizeAs(before);
    assertThat(packet[9]).isEqualTo(before[9]);
    int old = MssClamp.clamp(buffer, 0, packet.length, mss);
    assertThat(old == MssClamp.NOT_CLAMPED || old > mss).isTrue();
  }
}
