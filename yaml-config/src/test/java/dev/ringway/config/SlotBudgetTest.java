package dev.ringway.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlotBudgetTest {

  private static Config.Io io(int entries, int tunRx, int udpRx, int tx, int tcpConnections) {
    Config.Io defaults = Config.defaults().io();
    return new Config.Io(
        defaults.engine(),
        new Config.Ring(entries, defaults.ring().sqpollIdle()),
        new Config.Tun(tunRx, false),
        new Config.Udp(udpRx, defaults.udp().socketBuffer()),
        new Config.Tcp(defaults.tcp().socketBuffer(), tcpConnections),
        new Config.Tx(tx));
  }

  @Test
  void theDefaultsFitInBothModes() {
    assertThat(SlotBudget.fits(Config.Mode.UDP, Config.defaults().io())).isTrue();
    assertThat(SlotBudget.fits(Config.Mode.TCP, Config.defaults().io())).isTrue();
  }

  @Test
  void udpCountsTunAndUdpReceivesSendsAndControl() {
    assertThat(SlotBudget.inFlight(Config.Mode.UDP, io(64, 10, 20, 30, 1000)))
        .isEqualTo(10 + 20 + 30 + SlotBudget.CONTROL_SLOTS);
  }

  @Test
  void tcpCountsTwoCompletionsPerConnectionAndNoUdpReceives() {
    assertThat(SlotBudget.inFlight(Config.Mode.TCP, io(64, 10, 2000, 30, 40)))
        .isEqualTo(10 + 30 + SlotBudget.CONTROL_SLOTS + 80);
  }

  @Test
  void aConfigurationThatFillsTheCompletionQueueExactlyFitsAndOneMoreDoesNot() {
    assertThat(SlotBudget.fits(Config.Mode.UDP, io(64, 40, 40, 40, 1))).isTrue();
    assertThat(SlotBudget.fits(Config.Mode.UDP, io(64, 40, 40, 41, 1))).isFalse();
  }
}
