package dev.ringway.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.core.conn.Connection;
import dev.ringway.core.conn.InsideConfig;
import dev.ringway.core.tls.Transport;
import dev.ringway.loop.TxPool;
import java.net.Inet4Address;
import org.junit.jupiter.api.Test;

class InsideNetworkTest {

  @Test
  void lightwaysDefaultsGiveTheClientAddressWithAPrefixHoldingThePeer() {
    InsideNetwork network =
        usable(new InsideConfig("10.125.0.5", "10.125.0.6", "10.125.0.1", "1350"));

    assertThat(network.address()).isEqualTo(Inet4Address.ofLiteral("10.125.0.5"));
    assertThat(network.prefixLength()).isEqualTo(30);
    assertThat(network.mtu()).isEqualTo(1350);
  }

  @Test
  void aPeerOutsideTheClientsSlash24LeavesTheAddressAlone() {
    InsideNetwork network = usable(new InsideConfig("10.125.0.5", "10.9.0.1", "10.9.0.1", "1350"));

    assertThat(network.prefixLength()).isEqualTo(32);
  }

  @Test
  void anMtuLargerThanOneDatagramCarriesIsCapped() {
    InsideNetwork network =
        usable(new InsideConfig("10.125.0.5", "10.125.0.6", "10.125.0.1", "1500"));

    assertThat(network.mtu()).isEqualTo(Connection.MAX_DATAGRAM_INSIDE_PACKET);
  }

  @Test
  void overTcpTheServersMtuIsKeptAboveWhatOneDatagramCarries() {
    InsideConfig config = new InsideConfig("10.125.0.5", "10.125.0.6", "10.125.0.1", "1500");

    assertThat(usable(config, 9000, Transport.STREAM).mtu()).isEqualTo(1500);
  }

  @Test
  void overTcpTheMtuIsCappedAtOneTxSlot() {
    InsideConfig config = new InsideConfig("10.125.0.5", "10.125.0.6", "10.125.0.1", "9000");

    assertThat(usable(config, 9000, Transport.STREAM).mtu()).isEqualTo(TxPool.SLOT_BYTES);
  }

  @Test
  void theClientsOwnMtuLimitLowersTheServers() {
    InsideNetwork network =
        usable(new InsideConfig("10.125.0.5", "10.125.0.6", "10.125.0.1", "1350"), 1280);

    assertThat(network.mtu()).isEqualTo(1280);
  }

  @Test
  void aLocalAddressThatIsNotIpv4IsUnusable() {
    assertThat(
            InsideNetwork.from(
                new InsideConfig("fe80::1", "10.125.0.6", "", "1350"), 9000, Transport.DATAGRAM))
        .isEqualTo(new InsideNetwork.Result.Unusable("local_ip 'fe80::1' is not an IPv4 address"));
  }

  @Test
  void anMtuThatIsNotANumberOrTooSmallIsUnusable() {
    assertThat(
            InsideNetwork.from(
                new InsideConfig("10.125.0.5", "10.125.0.6", "", "big"), 9000, Transport.DATAGRAM))
        .isInstanceOf(InsideNetwork.Result.Unusable.class);
    assertThat(
            InsideNetwork.from(
                new InsideConfig("10.125.0.5", "10.125.0.6", "", "500"), 9000, Transport.DATAGRAM))
        .isInstanceOf(InsideNetwork.Result.Unusable.class);
  }

  private static InsideNetwork usable(InsideConfig config) {
    return usable(config, 9000);
  }

  private static InsideNetwork usable(InsideConfig config, int mtuLimit) {
    return usable(config, mtuLimit, Transport.DATAGRAM);
  }

  private static InsideNetwork usable(InsideConfig config, int mtuLimit, Transport transport) {
    return switch (InsideNetwork.from(config, mtuLimit, transport)) {
      case InsideNetwork.Result.Usable(InsideNetwork network) -> network;
      case InsideNetwork.Result.Unusable(String reason) -> throw new AssertionError(reason);
    };
  }
}
