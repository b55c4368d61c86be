package dev.ringway.console.link;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which rule an alert event names, as the server words its alert messages. */
class ServerEventTest {
  @Test
  void anAlertEventNamesItsRule() {
    ServerEvent raised =
        new ServerEvent(
            1,
            ServerEvent.ALERT_RAISED,
            "alert udp-rx-busy raised: path.udp.rx.packetsPerSecond = 40, above 0 for 1s");

    assertThat(raised.alertRule()).isEqualTo("udp-rx-busy");
  }

  @Test
  void otherEventsNameNoRule() {
    ServerEvent change = new ServerEvent(1, "jmx.attribute.change", "alert TunRxSlots 64 → 8");

    assertThat(change.alertRule()).isNull();
  }
}
