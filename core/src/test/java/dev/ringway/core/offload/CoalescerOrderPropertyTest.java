package dev.ringway.core.offload;

import static dev.ringway.core.offload.Packets.ACK;
import static dev.ringway.core.offload.Packets.PSH;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * On random batches of three interleaved flows (reordered, short, pushed, damaged and truncated
 * segments, UDP in between) the coalescer never throws, writes every packet exactly once, and each
 * flow's bytes reach the TUN in the order they came.
 */
class CoalescerOrderPropertyTest {
  /**
   * The flow (source port) of a packet with a whole TCP header; anything shorter belongs to no
   * flow, as the kernel drops it.
   */
  private static int flowOf(byte[] packet) {
    if (packet.length < 20 || Packets.protocol(packet) != 6) {
      return -1;
    }
    int l4 = Packets.ipHeaderLength(packet);
    return packet.length < l4 + 20 ? -1 : Packets.u16(packet, l4);
  }

  /** What a flow's receiver sees of a packet: its TCP payload, or the raw bytes if unparsable. */
  private static byte[] carried(byte[] packet) {
    if (flowOf(packet) < 0) {
      return packet;
    }
    int from = Packets.ipHeaderLength(packet) + Packets.transportHeaderLength(packet);
    return from > packet.length ? packet : Packets.payload(packet);
  }

  @Test
  void randomBatchesKeepEveryFlowsBytesInOrder() {
    SplittableRandom random = new SplittableRandom(42);
    int merged = 0;
    for (int round = 0; round < 500; round++) {
      List<byte[]> batch = randomBatch(random);
      List<CoalescerTest.Frame> frames = CoalescerTest.coalesce(batch, 1 + random.nextInt(4));

      assertThat(frames.stream().mapToInt(CoalescerTest.Frame::packets).sum())
          .isEqualTo(batch.size());
      merged += batch.size() - frames.size();
      Map<Integer, ByteArrayOutputStream> sent = new HashMap<>();
      Map<Integer, ByteArrayOutputStream> written = new HashMap<>();
      for (byte[] p : batch) {
        sent.computeIfAbsent(flowOf(p), k -> new ByteArrayOutputStream()).writeBytes(carried(p));
      }
      for (CoalescerTest.Frame f : frames) {
        byte[] p = f.packet();
        written.computeIfAbsent(flowOf(p), k -> new ByteArrayOutputStream()).writeBytes(carried(p));
      }
      assertThat(written.keySet()).isEqualTo(sent.keySet());
      for (Integer flow : sent.keySet()) {
        assertThat(written.get(flow).toByteArray())
            .as("round %d flow %d", round, flow)
            .isEqualTo(sent.get(flow).toByteArray());
      }
    }
    assertThat(merged).as("packets merged over all rounds").isGreaterThan(1000);
  }

  private static List<byte[]> randomBatch(SplittableRandom random) {
    int[] seq = new int[3];
    List<byte[]> batch = new ArrayList<>();
    int size = 1 + random.nextInt(64);
    for (int i = 0; i < size; i++) {
      int flow = random.nextInt(3);
      int choice = random.nextInt(20);
      if (choice == 0) {
        batch.add(Packets.ipv4(17, i, true, Packets.udp(1, 2, Packets.pattern(50, i))));
        continue;
      }
      int length = choice == 1 ? 1 + random.nextInt(900) : 900;
      Packets.Tcp tcp =
          new Packets.Tcp(
              1000 + flow,
              80,
              seq[flow],
              1,
              choice == 2 ? ACK | PSH : ACK,
              512,
              Packets.timestamps(7, 9),
              Packets.pattern(length, i));
      seq[flow] += length;
      byte[] packet =
          flow == 1 ? Packets.ipv6(6, tcp.bytes()) : Packets.ipv4(6, i, true, tcp.bytes());
      if (choice == 3) {
        packet[packet.length - 1] ^= 0x40;
      } else if (choice == 4) {
        packet = java.util.Arrays.copyOf(packet, 20 + random.nextInt(packet.length - 20));
      }
      if (choice == 5 && !batch.isEmpty()) {
        batch.add(batch.size() - 1, packet);
      } else {
        batch.add(packet);
      }
    }
    return batch;
  }
}
