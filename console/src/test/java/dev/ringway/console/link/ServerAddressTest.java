package dev.ringway.console.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What an operator may type as the server's address. */
class ServerAddressTest {
  @Test
  void hostAndPortMakeTheOnePortRmiUrl() {
    assertThat(ServerAddress.parse("10.0.0.5:27700").url().toString())
        .isEqualTo("service:jmx:rmi://10.0.0.5:27700/jndi/rmi://10.0.0.5:27700/jmxrmi");
  }

  @Test
  void aHostAloneUsesTheDefaultJmxPort() {
    assertThat(ServerAddress.parse("vpn.example").url().toString())
        .isEqualTo("service:jmx:rmi://vpn.example:27691/jndi/rmi://vpn.example:27691/jmxrmi");
  }

  @Test
  void anIpv6AddressGoesInBrackets() {
    assertThat(ServerAddress.parse("[::1]:27691").url().toString())
        .isEqualTo("service:jmx:rmi://[::1]:27691/jndi/rmi://[::1]:27691/jmxrmi");
    assertThatThrownBy(() -> ServerAddress.parse("::1")).hasMessageContaining("needs brackets");
  }

  @Test
  void aServiceUrlIsTakenAsItIs() {
    String url = "service:jmx:rmi:///jndi/rmi://host:9999/jmxrmi";

    assertThat(ServerAddress.parse(url).url().toString()).isEqualTo(url);
  }

  @Test
  void aBadPortIsNamed() {
    assertThatThrownBy(() -> ServerAddress.parse("host:99999")).hasMessageContaining("99999");
    assertThatThrownBy(() -> ServerAddress.parse("host:http")).hasMessageContaining("http");
    assertThatThrownBy(() -> ServerAddress.parse(" ")).hasMessageContaining("no address");
  }
}
