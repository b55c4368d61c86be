package dev.ringway.loop.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.uring.Errno;
import dev.ringway.uring.LinuxException;
import org.junit.jupiter.api.Test;

class MissingCapabilityTest {

  @Test
  void noTunDeviceSaysHowToGetOne() {
    String advice = MissingCapability.tun(new LinuxException(Errno.ENOENT, "open /dev/net/tun"));

    assertThat(advice).contains("/dev/net/tun is missing").contains("modprobe tun");
  }

  @Test
  void aRefusedTunsetiffNamesTheCapability() {
    String advice = MissingCapability.tun(new LinuxException(Errno.EPERM, "ioctl TUNSETIFF x"));

    assertThat(advice).contains("CAP_NET_ADMIN");
  }

  @Test
  void aNameTakenByAnotherKindOfInterfaceSaysSo() {
    String advice = MissingCapability.tun(new LinuxException(Errno.EINVAL, "ioctl TUNSETIFF lo"));

    assertThat(advice).contains("not a TUN device").contains("TUNSETIFF lo");
  }

  @Test
  void aRefusedRingNamesTheSysctl() {
    String advice = MissingCapability.ring(new LinuxException(Errno.EPERM, "io_uring_setup"));

    assertThat(advice).contains("kernel.io_uring_disabled");
  }

  @Test
  void noRingAtAllNamesTheKernelNeeded() {
    String advice = MissingCapability.ring(new LinuxException(38, "io_uring_setup"));

    assertThat(advice).contains("ENOSYS").contains("Linux 6.1");
  }
}
