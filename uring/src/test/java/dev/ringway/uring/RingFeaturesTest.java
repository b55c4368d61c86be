package dev.ringway.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.KernelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@KernelTest
class RingFeaturesTest {
  private static RingFeatures features;

  @BeforeAll
  static void probe() throws Exception {
    features = RingFeatures.probe();
  }

  @Test
  void theKernelReleaseIsTheOneTheKernelReports() throws Exception {
    String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
    assertThat(features.kernelRelease()).isEqualTo(release);
  }

  @Test
  void theOperationsTheDataPlaneUsesAreSupported() {
    assertThat(features.opcodes())
        .contains(
            Opcode.NOP,
            Opcode.READ,
            Opcode.WRITE,
            Opcode.RECVMSG,
            Opcode.SENDMSG,
            Opcode.ACCEPT,
            Opcode.TIMEOUT,
            Opcode.ASYNC_CANCEL,
            Opcode.MSG_RING,
            Opcode.SEND_ZC);
    assertThat(features.lastOpcode()).isGreaterThanOrEqualTo(Opcode.SEND_ZC.code());
  }

  @Test
  void readMultishotAndResizeAreReportedByKernelVersion() {
    String[] parts = features.kernelRelease().split("[.-]");
    int version = Integer.parseInt(parts[0]) * 100 + Integer.parseInt(parts[1]);
    assertThat(features.supports(Opcode.READ_MULTISHOT)).isEqualTo(version >= 607);
    assertThat(features.resizeRings()).isEqualTo(version >= 613);
  }

  @Test
  void theSetupFlagsTheLoopChoosesFromAreAccepted() {
    assertThat(features.setupFlags())
        .contains(
            SetupFlag.SQPOLL,
            SetupFlag.SINGLE_ISSUER,
            SetupFlag.DEFER_TASKRUN,
            SetupFlag.COOP_TASKRUN,
            SetupFlag.SUBMIT_ALL,
            SetupFlag.R_DISABLED,
            SetupFlag.CLAMP);
    assertThat(features.features()).contains(RingFeature.SINGLE_MMAP, RingFeature.EXT_ARG);
  }

  @Test
  void theReportIsPrintableAndImmutable() {
    assertThat(features.toString())
        .contains("kernel " + features.kernelRelease())
        .contains("DEFER_TASKRUN")
        .contains("RECVMSG");
    assertThat(features.opcodes()).isUnmodifiable();
  }
}
