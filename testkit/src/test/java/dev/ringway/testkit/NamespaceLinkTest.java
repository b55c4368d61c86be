package dev.ringway.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

@NetnsTest
class NamespaceLinkTest {

  @Test
  void linkedNamespacesReachEachOtherAndVanishOnClose() {
    String leftName;
    try (Netns left = Netns.create("left");
        Netns right = Netns.create("right")) {
      leftName = left.name();
      left.link(right, "192.0.2.1", "192.0.2.2");

      Commands.Result ping = left.exec("ping", "-c", "1", "-W", "2", "192.0.2.2");

      assertThat(ping.exitCode()).as(ping.output()).isZero();
    }
    assertThat(Commands.run("ip", "netns", "list").output()).doesNotContain(leftName);
  }
}
