package dev.ringway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.NetnsTest;
import org.junit.jupiter.api.Test;

/**
 * {@link TcpModeTest}'s specifications with the server on the nio engine: TLS streams on
 * non-blocking socket channels, garbage and half-open connections, and the Goodbye on stop.
 */
@NetnsTest
class NioTcpModeTest extends TcpModeTest {
  @Override
  String engine() {
    return "nio";
  }

  @Test
  void theServerSaysItRunsOnTheNioEngine() {
    assertThat(output()).contains(" on tcp ").contains("(nio engine)");
  }
}
