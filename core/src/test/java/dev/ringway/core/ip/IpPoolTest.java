package dev.ringway.core.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Digest §5.1: which addresses are handed out, in what order, and what happens at exhaustion. */
class IpPoolTest {
  private static final List<Ipv4Address> RESERVED =
      List.of(
          Ipv4Address.parse("10.125.0.5"),
          Ipv4Address.parse("10.125.0.6"),
          Ipv4Address.parse("10.125.0.1"),
          Ipv4Address.parse("192.168.1.1"));

  private static IpPool pool(String cidr, long seed) {
    return new IpPool(Ipv4Cidr.parse(cidr), RESERVED, new SplittableRandom(seed));
  }

  private static List<Ipv4Address> drain(IpPool pool) {
    List<Ipv4Address> all = new ArrayList<>();
    for (Optional<Ipv4Address> a = pool.allocate(); a.isPresent(); a = pool.allocate()) {
      all.add(a.get());
    }
    return all;
  }

  @Test
  void allHostsExceptNetworkBroadcastAndReservedAreHandedOutOnce() {
    IpPool pool = pool("10.125.0.0/28", 1);
    List<Ipv4Address> all = drain(pool);
    Set<String> expected = new HashSet<>();
    for (int host = 1; host <= 14; host++) {
      expected.add("10.125.0." + host);
    }
    expected.removeAll(Set.of("10.125.0.5", "10.125.0.6", "10.125.0.1"));
    assertThat(all).extracting(Ipv4Address::toString).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(pool.freeCount()).isZero();
    assertThat(pool.allocatedCount()).isEqualTo(11);
  }

  @Test
  void exhaustionYieldsEmpty() {
    IpPool pool = pool("10.125.0.0/29", 1); // hosts .1-.6, of which .1 .5 .6 reserved
    assertThat(drain(pool)).hasSize(3);
    assertThat(pool.allocate()).isEmpty();
  }

  @Test
  void orderIsShuffledAndReproducibleFromTheSeed() {
    List<Ipv4Address> first = drain(pool("10.125.0.0/24", 42));
    assertThat(drain(pool("10.125.0.0/24", 42))).isEqualTo(first);
    assertThat(drain(pool("10.125.0.0/24", 43))).isNotEqualTo(first);
    assertThat(first).isNotEqualTo(first.stream().sorted().toList());
  }

  @Test
  void freedAddressesGoToTheBackAndAreReusedLast() {
    IpPool pool = pool("10.125.0.0/29", 7);
    Ipv4Address a = pool.allocate().orElseThrow();
    Ipv4Address b = pool.allocate().orElseThrow();
    assertThat(pool.free(a)).isTrue();
    Ipv4Address c = pool.allocate().orElseThrow();
    assertThat(c).isNotIn(a, b);
    assertThat(pool.allocate()).contains(a);
    assertThat(pool.allocate()).isEmpty();
  }

  @Test
  void freeingAnAddressNotAllocatedChangesNothing() {
    IpPool pool = pool("10.125.0.0/29", 7);
    Ipv4Address a = pool.allocate().orElseThrow();
    assertThat(pool.free(a)).isTrue();
    assertThat(pool.free(a)).isFalse();
    assertThat(pool.free(Ipv4Address.parse("10.125.0.5"))).isFalse();
    assertThat(pool.free(Ipv4Address.parse("172.16.0.1"))).isFalse();
    assertThat(pool.freeCount()).isEqualTo(3);
  }

  @Test
  void defaultPoolHasAllButFiveAddresses() {
    IpPool pool = pool("10.125.0.0/16", 3);
    assertThat(pool.freeCount()).isEqualTo(65536 - 2 - 3);
    Ipv4Address a = pool.allocate().orElseThrow();
    assertThat(pool.isAllocated(a)).isTrue();
    assertThat(Ipv4Cidr.parse("10.125.0.0/16").contains(a)).isTrue();
  }

  @Test
  void carveMovesTheSubnetsFreeAddressesIntoItsOwnPool() {
    IpPool main = pool("10.125.0.0/24", 5);
    Ipv4Address taken = main.allocate().orElseThrow();
    IpPool sub = main.carve(Ipv4Cidr.parse("10.125.0.128/25"));
    List<Ipv4Address> fromSub = drain(sub);
    List<Ipv4Address> fromMain = drain(main);
    assertThat(fromSub).allMatch(a -> Ipv4Cidr.parse("10.125.0.128/25").contains(a));
    assertThat(fromMain).noneMatch(a -> Ipv4Cidr.parse("10.125.0.128/25").contains(a));
    int expectedSub = 127 - (Ipv4Cidr.parse("10.125.0.128/25").contains(taken) ? 1 : 0);
    assertThat(fromSub).hasSize(expectedSub);
    assertThat(fromSub.size() + fromMain.size() + 1).isEqualTo(254 - 3);
    assertThatThrownBy(() -> main.carve(Ipv4Cidr.parse("10.126.0.0/24")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cidrAndAddressParsing() {
    assertThat(Ipv4Cidr.parse("10.125.7.9/16")).hasToString("10.125.0.0/16");
    assertThat(Ipv4Cidr.parse("10.125.0.0/16").broadcast())
        .isEqualTo(Ipv4Address.parse("10.125.255.255").value());
    assertThat(Ipv4Address.parse("255.255.255.255").value()).isEqualTo(-1);
    for (String bad : List.of("10.0.0", "10.0.0.256", "a.b.c.d", "10..0.1", "10.0.0.1.2", "")) {
      assertThatThrownBy(() -> Ipv4Address.parse(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    for (String bad : List.of("10.0.0.0", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x")) {
      assertThatThrownBy(() -> Ipv4Cidr.parse(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
