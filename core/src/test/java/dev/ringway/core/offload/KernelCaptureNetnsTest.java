package dev.ringway.core.offload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.Commands;
import dev.ringway.testkit.Netns;
import dev.ringway.testkit.NetnsTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

  @Test
  void theKernelAcceptsACoalescedSuperPacketAndDeliversEveryByte() throws Exception {
    Path script = Path.of(getClass().getResource("/offload/capture.py").toURI());
    String python = Commands.which("python3").orElseThrow().toString();
    byte[] client = {10, 9, 0, 2};
    byte[] server = {10, 9, 0, 1};
    try (Netns netns = Netns.create("offload")) {
      Process process =
          netns
              .processBuilder(List.of(python, script.toString(), "inject"))
              .redirectErrorStream(true)
              .start();
      try {
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        String[] state = out.readLine().split(" ");
        assertThat(state[0]).isEqualTo("state");
        int ack = (int) Long.parseLong(state[1]);
        int tsecr = (int) Long.parseLong(state[2]);

        List<byte[]> segments = new ArrayList<>();
        byte[] payload = Packets.pattern(5 * 1300 + 500, 3);
        for (int at = 0; at < payload.length; at += 1300) {
          byte[] chunk =
              java.util.Arrays.copyOfRange(payload, at, Math.min(payload.length, at + 1300));
          Packets.Tcp tcp =
              new Packets.Tcp(
                  40000,
                  8080,
                  1001 + at,
                  ack,
                  Packets.ACK,
                  502,
                  Packets.timestamps(1002, tsecr),
                  chunk);
          segments.add(Packets.ipv4(6, 2 + at / 1300, true, tcp.bytes(), client, server));
        }
        List<CoalescerTest.Frame> frames = CoalescerTest.coalesce(segments, 1);
        assertThat(frames).extracting(CoalescerTest.Frame::packets).containsExactly(6);

        Writer in =
            new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
        in.write(
            HexFormat.of().formatHex(frames.getFirst().bytes()) + "\n" + payload.length + "\n");
        in.flush();
        String received = out.readLine();
        assertThat(received).startsWith("received ");
        assertThat(HexFormat.of().parseHex(received.substring("received ".length())))
            .isEqualTo(payload);
      } finally {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }

  @Test
  void theKernelResegmentsACoalescedSuperPacketWithCorrectChecksumsWhenForwarding()
      throws Exception {
    Path script = Path.of(getClass().getResource("/offload/capture.py").toURI());
    String python = Commands.which("python3").orElseThrow().toString();
    try (Netns netns = Netns.create("offload")) {
      Process process =
          netns
              .processBuilder(List.of(python, script.toString(), "forward"))
              .redirectErrorStream(true)
              .start();
      try {
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        assertThat(out.readLine()).isEqualTo("ready");
        byte[] payload = Packets.pattern(7 * 1200 + 333, 5);
        List<byte[]> segments = new ArrayList<>();
        for (int at = 0; at < payload.length; at += 1200) {
          byte[] chunk =
              java.util.Arrays.copyOfRange(payload, at, Math.min(payload.length, at + 1200));
          int flags = at + 1200 >= payload.length ? Packets.ACK | Packets.PSH : Packets.ACK;
          Packets.Tcp tcp =
              new Packets.Tcp(
                  40000, 8080, 77 + at, 99, flags, 502, Packets.timestamps(5, 6), chunk);
          segments.add(
              Packets.ipv4(
                  6,
                  2 + at / 1200,
                  true,
                  tcp.bytes(),
                  new byte[] {10, 9, 0, 2},
                  new byte[] {10, 7, 0, 2}));
        }
        List<CoalescerTest.Frame> frames = CoalescerTest.coalesce(segments, 1);
        assertThat(frames).extracting(CoalescerTest.Frame::packets).containsExactly(8);

        Writer in =
            new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
        in.write(
            HexFormat.of().formatHex(frames.getFirst().bytes()) + "\n" + payload.length + "\n");
        in.flush();
        List<byte[]> forwarded = new ArrayList<>();
        for (String line = out.readLine();
            line != null && !line.equals("done");
            line = out.readLine()) {
          assertThat(line).startsWith("packet ");
          forwarded.add(HexFormat.of().parseHex(line.substring("packet ".length())));
        }
        assertThat(forwarded).hasSize(8);
        for (byte[] p : forwarded) {
          assertThat(Packets.ipv4HeaderValid(p)).isTrue();
          assertThat(Packets.transportChecksumValid(p))
              .as("TCP checksum of a kernel segment")
              .isTrue();
          assertThat(Packets.payload(p).length).isLessThanOrEqualTo(1200);
        }
        assertThat(forwarded)
            .extracting(Packets::tcpFlags)
            .containsExactly(16, 16, 16, 16, 16, 16, 16, 16 | 8);
        assertThat(Packets.concat(forwarded.stream().map(Packets::payload).toArray(byte[][]::new)))
            .isEqualTo(payload);
      } finally {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }
}
