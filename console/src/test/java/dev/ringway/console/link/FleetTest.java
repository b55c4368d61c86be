package dev.ringway.console.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.Await;
import dev.ringway.testkit.NetnsTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet without its window, against a real server reached with two logins and an address where
 * nothing listens: the outcomes a tuning change can have besides those the fleet view's test shows
 * (a server's role gate refusing it, an unreachable server), and rows named apart.
 */
@NetnsTest
class FleetTest {
  private static final Duration SOON = Duration.ofSeconds(30);

  /** Nothing listens on port 1 of the loopback: connecting is refused at once. */
  private static final String NOWHERE = "127.0.0.1:1";

  @TempDir static Path dir;
  private static LiveServer server;

  private final Map<String, FleetRow> rows = new ConcurrentHashMap<>();
  private Fleet fleet;

  @BeforeAll
  static void startServer() throws Exception {
    server = LiveServer.start(dir);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void closeFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  private Fleet open() {
    fleet =
        Fleet.open(
            List.of(
                server.profile(LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD),
                server.profile(LiveServer.MONITOR, LiveServer.MONITOR_PASSWORD),
                Profile.of(NOWHERE)),
            row -> rows.put(row.name(), row));
    return fleet;
  }

  @Test
  void eachServerGetsItsOwnOutcome() throws Exception {
    List<String> names = open().names();
    assertThat(names).containsExactly(server.hostPort(), server.hostPort() + " #2", NOWHERE);
    Await.until(
        "both logins connected",
        SOON,
        () ->
            names.subList(0, 2).stream()
                .allMatch(
                    n -> rows.containsKey(n) && rows.get(n).status() == FleetRow.Status.CONNECTED));
    assertThat(rows.get(names.get(1)).cause()).isEqualTo("monitor");
    String slots = String.valueOf(33 + (int) (System.nanoTime() % 30));

    Map<String, FleetOutcome> outcomes =
        fleet.apply(List.of(names.get(1), NOWHERE), Map.of("io.udp.rxSlots", slots));

    assertThat(outcomes.keySet()).containsExactly(names.get(1), NOWHERE);
    assertThat(outcomes.get(names.get(1)))
        .as("the server's role gate refuses a monitor's change")
        .isInstanceOf(FleetOutcome.Denied.class);
    assertThat(((FleetOutcome.Denied) outcomes.get(names.get(1))).message()).isNotBlank();
    assertThat(outcomes.get(NOWHERE)).isInstanceOf(FleetOutcome.Unreachable.class);
    Await.until(
        "the unreachable server's row to say down and why",
        SOON,
        () ->
            rows.get(NOWHERE).status() == FleetRow.Status.DOWN
                && rows.get(NOWHERE).stateText().contains("Connection refused"));
    assertThat(rows.get(NOWHERE).outcome()).isEqualTo(outcomes.get(NOWHERE));

    FleetOutcome operator =
        fleet.apply(List.of(names.get(0)), Map.of("io.udp.rxSlots", slots)).get(names.get(0));
    assertThat(operator)
        .isInstanceOf(FleetOutcome.Applied.class)
        .extracting(FleetOutcome::describe)
        .asString()
        .contains("io.udp.rxSlots")
        .contains("→ " + slots);
    assertThat(rows.get(names.get(1)).outcome()).isInstanceOf(FleetOutcome.Denied.class);
  }

  @Test
  void aServerDownWhenTheFleetOpensComesBackWhenItStarts() throws Exception {
    server.stopProcess();
    try {
      fleet =
          Fleet.open(
              List.of(server.profile(LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD)),
              row -> rows.put(row.name(), row));
      String name = server.hostPort();
      Await.until(
          "the row to say down, to be tried again",
          SOON,
          () ->
              rows.containsKey(name)
                  && rows.get(name).status() == FleetRow.Status.DOWN
                  && rows.get(name).cause().contains("again in"));
    } finally {
      server.startProcess();
    }
    Await.until(
        "the row to come back once the server runs",
        SOON,
        () ->
            rows.get(server.hostPort()).status() == FleetRow.Status.CONNECTED
                && rows.get(server.hostPort()).samples() > 0);
  }
}
