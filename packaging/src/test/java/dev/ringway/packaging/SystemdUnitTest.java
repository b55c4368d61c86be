package dev.ringway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The unit's keys. There is no running systemd on the test machine, so besides {@code
 * systemd-analyze verify} (run on the installed unit) these read what systemd would.
 */
class SystemdUnitTest {
  static SystemdUnit unit;

  @BeforeAll
  static void read() throws IOException {
    unit = SystemdUnit.read(Artifacts.unit());
  }

  @Test
  void runsTheInstalledServerOnTheConffile() {
    assertThat(unit.values("Service", "ExecStart"))
        .containsExactly("/usr/bin/ringway server -c /etc/ringway/ringway.yaml");
  }

  @Test
  void runsAsTheRingwayUserWithOnlyNetAdmin() {
    assertThat(unit.values("Service", "User")).containsExactly("ringway");
    assertThat(unit.values("Service", "Group")).containsExactly("ringway");
    assertThat(unit.values("Service", "AmbientCapabilities")).containsExactly("CAP_NET_ADMIN");
    assertThat(unit.values("Service", "CapabilityBoundingSet")).containsExactly("CAP_NET_ADMIN");
    assertThat(unit.values("Service", "NoNewPrivileges")).containsExactly("yes");
  }

  @Test
  void seesTheFileSystemReadOnlyExceptItsStateDirectory() {
    assertThat(unit.values("Service", "ProtectSystem")).containsExactly("strict");
    assertThat(unit.values("Service", "ReadWritePaths")).containsExactly("/var/lib/ringway");
    assertThat(unit.values("Service", "StateDirectory")).containsExactly("ringway");
    assertThat(unit.values("Service", "ProtectHome")).containsExactly("yes");
    assertThat(unit.values("Service", "PrivateTmp")).containsExactly("yes");
  }

  @Test
  void keepsTunDevicesReachable() {
    // The server opens /dev/net/tun: a private /dev or a device allow-list would hide it.
    assertThat(unit.values("Service", "PrivateDevices")).isEmpty();
    assertThat(unit.values("Service", "DevicePolicy")).isEmpty();
  }

  @Test
  void mayLockTheMemoryIoUringRegisters() {
    assertThat(unit.values("Service", "LimitMEMLOCK")).containsExactly("infinity");
  }

  @Test
  void reloadsWithSighup() {
    assertThat(unit.values("Service", "ExecReload")).containsExactly("/bin/kill -HUP $MAINPID");
  }

  @Test
  void restartsAfterAFailureButNotAfterAConfigurationError() {
    assertThat(unit.values("Service", "Restart")).containsExactly("on-failure");
    assertThat(unit.values("Service", "RestartPreventExitStatus")).containsExactly("2");
  }

  @Test
  void startsWithTheMachine() {
    assertThat(unit.values("Install", "WantedBy")).containsExactly("multi-user.target");
  }
}
