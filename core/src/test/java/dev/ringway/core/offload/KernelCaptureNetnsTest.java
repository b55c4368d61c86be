package dev.ringway.core.offload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.Commands;
import dev.ringway.testkit.Netns;
import dev.ringway.testkit.NetnsTest;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Captures fresh super-packets from this machine's kernel (a TUN with {@code IFF_VNET_HDR} and
 * {@code TUNSETOFFLOAD(CSUM|TSO4|TSO6|USO4|USO6)} in a namespace of its own) and segments them. The
 * saved copies in {@code offload/kernel-captures.hex} came from the same script.
 */
@NetnsTest
class KernelCaptureNetnsTest {
  @Test
  void superPacketsFromTheRunningKernelSegmentIntoCheckedPackets() throws URISyntaxException {
    Path script = Path.of(getClass().getResource("/offload/capture.py").toURI());
    String python = Commands.which("python3").orElseThrow().toString();
    try (Netns netns = Netns.create("offload")) {
      Commands.Result result = netns.exec(python, script.toString()).orThrow();
      Map<String, byte[]> captures = KernelCaptures.parse(result.output());
      assertThat(captures).containsKeys("tcp4", "tcp6", "udp4", "udp6", "tcp4-ack", "tcp6-ack");
      captures.forEach(KernelCaptures::assertSegmentsCorrectly);
    }
  }
}
