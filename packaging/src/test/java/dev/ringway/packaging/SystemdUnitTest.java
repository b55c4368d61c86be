package dev.ringway.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringway.testkit.Commands;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    // A private /dev would hide /dev/net/tun; the device allow-list must name it.
    assertThat(unit.values("Service", "PrivateDevices")).isEmpty();
    assertThat(unit.values("Service", "DevicePolicy")).containsExactly("closed");
    assertThat(unit.values("Service", "DeviceAllow")).containsExactly("/dev/net/tun rw");
  }

  @Test
  void isSandboxedAsANetworkDaemon() {
    for (String key :
        List.of(
            "PrivateIPC",
            "PrivateMounts",
            "ProtectHostname",
            "ProtectClock",
            "ProtectKernelTunables",
            "ProtectKernelModules",
            "ProtectKernelLogs",
            "ProtectControlGroups",
            "RestrictNamespaces",
            "RestrictRealtime",
            "RestrictSUIDSGID",
            "LockPersonality",
            "RemoveIPC")) {
      assertThat(unit.values("Service", key)).as(key).containsExactly("yes");
    }
    assertThat(unit.values("Service", "ProtectProc")).containsExactly("invisible");
    assertThat(unit.values("Service", "UMask")).containsExactly("0077");
    assertThat(unit.values("Service", "RestrictAddressFamilies"))
        .containsExactly("AF_INET AF_INET6 AF_NETLINK AF_UNIX");
    // The JIT writes code it executes.
    assertThat(unit.values("Service", "MemoryDenyWriteExecute")).isEmpty();
  }

  @Test
  void filtersSystemCallsButKeepsIoUringAndIoctl() throws IOException {
    assertThat(unit.values("Service", "SystemCallArchitectures")).containsExactly("native");
    assertThat(unit.values("Service", "SystemCallFilter"))
        .containsExactly(
            "@system-service io_uring_setup io_uring_enter io_uring_register",
            "~@privileged @resources");
    assertThat(unit.values("Service", "SystemCallErrorNumber")).containsExactly("EPERM");
    assumeTrue(Commands.which("systemd-analyze").isPresent(), "systemd-analyze is not installed");
    String allowed = Commands.run("systemd-analyze", "syscall-filter", "@system-service").output();
    assertThat(allowed).contains("ioctl");
    String denied =
        Commands.run("systemd-analyze", "syscall-filter", "@privileged", "@resources").output();
    for (String syscall : List.of("io_uring_setup", "io_uring_enter", "io_uring_register")) {
      assertThat(denied).doesNotContainPattern("\\b" + syscall + "\\b");
    }
    assertThat(denied).doesNotContainPattern("\\bioctl\\b");
  }

  @Test
  void boundsMemoryAndTasks() {
    assertThat(unit.values("Service", "MemoryMax")).containsExactly("1G");
    assertThat(unit.values("Service", "TasksMax")).containsExactly("512");
    assertThat(unit.values("Service", "Environment"))
        .containsExactly(
            "\"RINGWAY_JAVA_OPTS=-XX:+ExitOnOutOfMemoryError -XX:MaxRAMPercentage=50\"");
  }

  @Test
  void needsNoLockedMemoryLimit() {
    // Rings are charged to the memory cgroup since Linux 5.12 and no fixed buffers are registered.
    assertThat(unit.values("Service", "LimitMEMLOCK")).isEmpty();
  }

  @Test
  void systemdRatesItsExposureLow() {
    assumeTrue(Commands.which("systemd-analyze").isPresent(), "systemd-analyze is not installed");
    Commands.Result security =
        Commands.run("systemd-analyze", "security", "--offline=yes", Artifacts.unit().toString());
    Matcher level =
        Pattern.compile("Overall exposure level for \\S+: ([0-9.]+)").matcher(security.output());
    assertThat(level.find()).as(security.output()).isTrue();
    // packaging/README.md records the score; anything above 2.0 is a regression.
    assertThat(Double.parseDouble(level.group(1))).as(security.output()).isLessThanOrEqualTo(2.0);
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
