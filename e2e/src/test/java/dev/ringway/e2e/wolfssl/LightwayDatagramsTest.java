package dev.ringway.e2e.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.Await;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The header wrapping wolfSSL's datagrams get, seen from a plain UDP socket on the other end. */
class LightwayDatagramsTest {
  private static final HexFormat HEX = HexFormat.of();

  private DatagramChannel server;
  private LightwayDatagrams datagrams;

  @BeforeEach
  void open() throws Exception {
    server =
        DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    DatagramChannel client = DatagramChannel.open().connect(server.getLocalAddress());
    server.connect(client.getLocalAddress());
    server.configureBlocking(false);
    datagrams = new LightwayDatagrams(client, 1, 2);
  }

  @AfterEach
  void close() throws Exception {
    datagrams.close();
    server.close();
  }

  @Test
  void sendsThreeCopiesWithAnEmptySessionUntilOnlineThenOne() throws Exception {
    datagrams.send(ByteBuffer.wrap(HEX.parseHex("16fefd")));

    for (int i = 0; i < 3; i++) {
      assertThat(receiveAtServer()).isEqualTo("48650102000000000000000000000000" + "16fefd");
    }
    datagrams.online();
    datagrams.send(ByteBuffer.wrap(HEX.parseHex("17fefd")));
    assertThat(receiveAtServer()).isEqualTo("48650102000000000000000000000000" + "17fefd");
    assertThat(server.receive(ByteBuffer.allocate(100))).as("a second copy").isNull();
  }

  @Test
  void stripsTheHeaderAndAdoptsItsSessionOnlyWhenAFrameCameOfIt() throws Exception {
    server.write(ByteBuffer.wrap(HEX.parseHex("4865010200000000123456789abcdef0" + "16fefd")));
    assertThat(datagrams.await(Duration.ofSeconds(5))).isTrue();

    ByteBuffer dtls = datagrams.receive();

    assertThat(HEX.formatHex(remaining(dtls))).isEqualTo("16fefd");
    assertThat(datagrams.session()).as("handshake bytes alone change nothing").isZero();
    datagrams.adoptSession();
    assertThat(datagrams.session()).isEqualTo(0x123456789abcdef0L);
    datagrams.send(ByteBuffer.wrap(HEX.parseHex("17")));
    assertThat(receiveAtServer()).isEqualTo("4865010200000000123456789abcdef0" + "17");
  }

  @Test
  void dropsMalformedDatagramsRejectNoticesAndExpresslaneData() throws Exception {
    server.write(ByteBuffer.wrap(HEX.parseHex("48650102")));
    server.write(ByteBuffer.wrap(HEX.parseHex("485f0102000000000000000000000001aa")));
    server.write(ByteBuffer.wrap(HEX.parseHex("4865010100000000ffffffffffffffff")));
    server.write(ByteBuffer.wrap(HEX.parseHex("4865010300010000123456789abcdef0bb")));
    server.write(ByteBuffer.wrap(HEX.parseHex("4865010200000000000000000000000716fefd")));

    ByteBuffer dtls =
        Await.value(
            "the well-formed datagram",
            Duration.ofSeconds(5),
            () -> {
              try {
                return datagrams.receive();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });

    assertThat(HEX.formatHex(remaining(dtls))).isEqualTo("16fefd");
    assertThat(datagrams.statistics()).contains("malformed 3", "reject notices 1");
  }

  private String receiveAtServer() {
    ByteBuffer in = ByteBuffer.allocate(2048);
    return Await.value(
        "a datagram at the server",
        Duration.ofSeconds(5),
        () -> {
          try {
            return server.receive(in.clear()) == null ? null : HEX.formatHex(remaining(in.flip()));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  private static byte[] remaining(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
