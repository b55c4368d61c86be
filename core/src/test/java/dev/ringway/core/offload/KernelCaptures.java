package dev.ringway.core.offload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Frames read from a real TUN with {@code IFF_VNET_HDR} and all TUN offloads on, by {@code
 * offload/capture.py}: {@code tcp4}/{@code tcp6} are TSO bursts of a TCP write (timestamps on),
 * {@code udp4}/{@code udp6} a {@code UDP_SEGMENT} send of 4100 bytes at 1200, and the {@code -ack}
 * frames pure ACKs with a partial checksum. Payload byte {@code i} of every stream is {@code 7i +
 * 3}.
 */
final class KernelCaptures {
  private KernelCaptures() {}

  static Map<String, byte[]> parse(String text) {
    Map<String, byte[]> captures = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      String[] parts = line.strip().split(" ");
      if (parts.length == 2 && parts[1].matches("[0-9a-f]+")) {
        captures.put(parts[0], HexFormat.of().parseHex(parts[1]));
      }
    }
    return captures;
  }

  static Map<String, byte[]> saved() {
    try (InputStream in =
        KernelCaptures.class.getResourceAsStream("/offload/kernel-captures.hex")) {
      return parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What every capture must satisfy once segmented. */
  static void assertSegmentsCorrectly(String label, byte[] frame) {
    VirtioNetHeader header = new VirtioNetHeader().read(ByteBuffer.wrap(frame), 0);
    List<byte[]> segments = SegmenterTest.segment(new Segmenter(), frame);
    if (label.endsWith("-ack")) {
      assertThat(header.gsoType()).as(label).isEqualTo(VirtioNetHeader.GSO_NONE);
      assertThat(segments).as(label).hasSize(1);
    } else {
      assertThat(header.gsoType()).as(label).isNotEqualTo(VirtioNetHeader.GSO_NONE);
      assertThat(segments).as(label).hasSizeGreaterThan(1);
      byte[] payloads =
          Packets.concat(segments.stream().map(Packets::payload).toArray(byte[][]::new));
      assertThat(payloads).as(label).isEqualTo(Packets.pattern(payloads.length, 3));
      byte[] superPacket = java.util.Arrays.copyOfRange(frame, 10, frame.length);
      assertThat(payloads).as(label).isEqualTo(Packets.payload(superPacket));
      for (byte[] s : segments) {
        assertThat(Packets.payload(s).length).as(label).isLessThanOrEqualTo(header.gsoSize());
      }
    }
    for (byte[] s : segments) {
      assertThat(Packets.ipv4HeaderValid(s)).as(label + " IPv4 header checksum").isTrue();
      assertThat(Packets.transportChecksumValid(s)).as(label + " transport checksum").isTrue();
      assertThat(Packets.lengthsConsistent(s)).as(label + " lengths").isTrue();
    }
  }
}
