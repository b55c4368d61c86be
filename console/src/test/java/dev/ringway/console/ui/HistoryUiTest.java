package dev.ringway.console.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.console.history.Recording;
import dev.ringway.console.link.LiveServer;
import dev.ringway.console.link.ProfileStore;
import dev.ringway.console.link.ServerEvent;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.NetnsTest;
import dev.ringway.testkit.UiTest;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console against a server that keeps a history (stats every 250 ms) and alert rules: the
 * charts fill from before the console connected, a server restart leaves a gap and keeps the older
 * points, and the server's alerts show in the events pane and the badge.
 */
@UiTest
@NetnsTest
@ExtendWith(ApplicationExtension.class)
class HistoryUiTest {
  private static final Duration SOON = Duration.ofSeconds(30);
  private static final ObjectName HISTORY = name("dev.ringway:type=History");
  private static final String UDP_RX_PACKETS =
      Recording.column("udp.rx", Recording.PathFigure.PACKETS);

  @TempDir Path dir;
  private ConsoleView view;

  @Start
  void start(Stage stage) {
    view = new ConsoleView(new ProfileStore(dir.resolve("console.yaml")), (o, k, p, n) -> null);
    stage.setScene(new Scene(view, 1280, 860));
    stage.show();
  }

  @AfterEach
  void shutdown() throws Exception {
    onFx(() -> {
      view.shutdown();
      return null;
    });
  }

  @Test
  void aConsoleStartedLateShowsTheEarlierSamplesAtOnce(FxRobot robot) throws Exception {
    try (LiveServer server = LiveServer.start(dir)) {
      // Twelve ticks of 250 ms: three seconds the console was not there for.
      Await.until(
          "the server to keep 12 samples", SOON, () -> unchecked(() -> historySize(server)) >= 12);
      long connectedAt = System.currentTimeMillis();

      login(robot, server);
      await("ten rows", () -> recording().size() >= 10);

      long firstRow = onFx(() -> recording().time(0));
      assertThat(firstRow).isLessThan(connectedAt - 2_000);
    }
  }

  @Test
  void aServerRestartShowsAsAGapAndKeepsTheOlderPoints(FxRobot robot) throws Exception {
    try (LiveServer server = LiveServer.start(dir)) {
      Await.until(
          "the server to keep 8 samples", SOON, () -> unchecked(() -> historySize(server)) >= 8);
      login(robot, server);
      await("rows from the first run", () -> recording().size() >= 8);
      long firstRow = onFx(() -> recording().time(0));

      server.stopProcess();
      await("the link to notice", () -> events().stream().anyMatch(this::lost));
      long oldLast = onFx(() -> recording().time(recording().size() - 1));
      server.startProcess();
      long newOldest = oldest(server);
      await(
          "rows from the second run",
          () -> recording().time(recording().size() - 1) > newOldest + 1_000);

      onFx(() -> {
        Recording recording = recording();
        assertThat(recording.time(0)).as("the older points are kept").isEqualTo(firstRow);
        int afterOld = -1;
        for (int i = 0; i < recording.size(); i++) {
          long time = recording.time(i);
          assertThat(time <= oldLast || time >= newOldest)
              .as(
                  "row at %d lies between the old run's last sample %d and the new run's first %d",
                  time, oldLast, newOldest)
              .isTrue();
          if (afterOld < 0 && time > oldLast) {
            afterOld = i;
          }
        }
        assertThat(afterOld).isPositive();
        assertThat(recording.value(UDP_RX_PACKETS, afterOld))
            .as("the first row of the new run breaks the line")
            .isNaN();
        assertThat(recording.value(UDP_RX_PACKETS, afterOld + 1)).isNotNaN();
        return null;
      });
    }
  }

  @Test
  void theServersAlertsShowInTheEventsAndTheBadge(FxRobot robot) throws Exception {
    String rules =
        """
        alerts:
          - { name: heap, figure: jvm.heapUsedBytes, above: 1, for: 0s }
          - { name: udp-rx-busy, figure: path.udp.rx.packetsPerSecond, above: 0, for: 1s }
        """;
    try (LiveServer server = LiveServer.start(dir, rules)) {
      login(robot, server);
      await(
          "the heap alert, up before the console came",
          () -> view.alerts().getText().contains("heap"));
      assertThat(events())
          .anyMatch(e -> e.type().equals(ServerEvent.ALERT_ACTIVE) && "heap".equals(e.alertRule()));

      try (DatagramSocket socket = new DatagramSocket()) {
        InetSocketAddress target = new InetSocketAddress(host(server), 27690);
        byte[] junk = new byte[] {1, 2, 3, 4};
        Await.until(
            "the udp-rx-busy alert to be raised while datagrams arrive",
            SOON,
            () ->
                unchecked(() -> {
                  socket.send(new DatagramPacket(junk, junk.length, target));
                  return onFx(() -> view.alerts().active().contains("udp-rx-busy"));
                }));
      }
      await(
          "the udp-rx-busy alert to clear once they stop",
          () -> !view.alerts().active().contains("udp-rx-busy"));

      assertThat(events())
          .anyMatch(
              e -> e.type().equals(ServerEvent.ALERT_RAISED) && "udp-rx-busy".equals(e.alertRule()))
          .anyMatch(e ->
              e.type().equals(ServerEvent.ALERT_CLEARED) && "udp-rx-busy".equals(e.alertRule()));
      assertThat(badge()).isEqualTo("1 alert: heap");
    }
  }

  private boolean lost(ServerEvent event) {
    return event.message().startsWith("lost the server");
  }

  private void login(FxRobot robot, LiveServer server) {
    robot.clickOn("#address").write(server.hostPort());
    robot.clickOn("#user").write(LiveServer.OPERATOR);
    robot.clickOn("#password").write(LiveServer.OPERATOR_PASSWORD);
    robot.clickOn("#connect");
  }

  private Recording recording() {
    return view.dashboard().recording();
  }

  private java.util.List<ServerEvent> events() {
    return unchecked(() -> onFx(() -> view.events().events()));
  }

  private String badge() throws Exception {
    return onFx(() -> view.alerts().getText());
  }

  private static String host(LiveServer server) {
    return server.hostPort().substring(0, server.hostPort().lastIndexOf(':'));
  }

  private static int historySize(LiveServer server) throws Exception {
    return (Integer) readHistory(server, "Size");
  }

  private static long oldest(LiveServer server) throws Exception {
    return Await.value(
        "the new run's first sample",
        SOON,
        () -> {
          long oldest = (Long) unchecked(() -> readHistory(server, "Oldest"));
          return oldest == 0 ? null : oldest;
        });
  }

  private static Object readHistory(LiveServer server, String attribute) throws Exception {
    Map<String, Object> env =
        Map.of(
            JMXConnector.CREDENTIALS,
            new String[] {LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD});
    try (JMXConnector connector =
        JMXConnectorFactory.connect(
            server.profile(LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD).serverAddress().url(),
            env)) {
      MBeanServerConnection connection = connector.getMBeanServerConnection();
      return connection.getAttribute(HISTORY, attribute);
    }
  }

  private static <T> T unchecked(Callable<T> call) {
    try {
      return call.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T onFx(Callable<T> read) throws Exception {
    return WaitForAsyncUtils.asyncFx(read).get();
  }

  private void await(String what, BooleanSupplier condition) {
    Await.until(what, SOON, () -> unchecked(() -> onFx(condition::getAsBoolean)));
  }

  private static ObjectName name(String name) {
    try {
      return new ObjectName(name);
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
