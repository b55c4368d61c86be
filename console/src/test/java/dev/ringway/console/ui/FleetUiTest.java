package dev.ringway.console.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.console.link.FleetOutcome;
import dev.ringway.console.link.FleetRow;
import dev.ringway.console.link.LiveServer;
import dev.ringway.console.link.Profile;
import dev.ringway.console.link.ServerAddress;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.NetnsTest;
import dev.ringway.testkit.UiTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import javafx.scene.Scene;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The fleet view driven as an operator would (TestFX on Monocle, headless) against two real
 * servers, each in a namespace of its own. The second has a smaller ring ({@code io.ring.entries}
 * 512, a completion queue of 1024), so a slot count that fits the first server's budget breaks its.
 */
@UiTest
@NetnsTest
@ExtendWith(ApplicationExtension.class)
class FleetUiTest {
  private static final Duration SOON = Duration.ofSeconds(30);
  private static final String KEY = "io.udp.rxSlots";
  private static final String ATTRIBUTE = "UdpRxSlots";

  @TempDir static Path dir;
  private static LiveServer first;
  private static LiveServer second;

  private FleetView view;
  private final List<Stage> dashboards = new CopyOnWriteArrayList<>();
  private final List<Profile> opened = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startServers() throws Exception {
    first = LiveServer.start(Files.createDirectories(dir.resolve("first")));
    second =
        LiveServer.start(
            Files.createDirectories(dir.resolve("second")), "io: { ring: { entries: 512 } }");
  }

  @AfterAll
  static void stopServers() throws Exception {
    if (first != null) {
      first.close();
    }
    if (second != null) {
      second.close();
    }
  }

  @Start
  void start(Stage stage) {
    view =
        new FleetView(
            List.of(
                first.profile(LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD),
                second.profile(LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD)),
            profile -> {
              opened.add(profile);
              dashboards.add(ConsoleApp.openDashboard(profile));
            });
    stage.setScene(new Scene(view, 1400, 520));
    stage.show();
  }

  @AfterEach
  void shutdown() throws Exception {
    onFx(() -> {
      dashboards.forEach(Stage::close);
      view.shutdown();
      return null;
    });
  }

  private static <T> T onFx(Callable<T> read) throws Exception {
    return WaitForAsyncUtils.asyncFx(read).get();
  }

  private void await(String what, BooleanSupplier condition) {
    Await.until(
        what,
        SOON,
        () -> {
          try {
            return onFx(condition::getAsBoolean);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private FleetRow row(LiveServer server) {
    return view.rows().stream()
        .filter(r -> r.address().equals(server.hostPort()))
        .findFirst()
        .orElseThrow();
  }

  private FleetRow rowNow(LiveServer server) throws Exception {
    return onFx(() -> row(server));
  }

  private void awaitBothSampled() {
    await(
        "both servers connected and sampled",
        () ->
            List.of(first, second).stream()
                .map(this::row)
                .allMatch(r -> r.status() == FleetRow.Status.CONNECTED && r.samples() > 1));
  }

  /** The table's row showing {@code server}. */
  private TableRow<?> tableRow(FxRobot robot, LiveServer server) {
    return robot.lookup(".table-row-cell").queryAllAs(TableRow.class).stream()
        .filter(r ->
            r.getItem() instanceof javafx.beans.value.ObservableValue<?> item
                && item.getValue() instanceof FleetRow row
                && row.address().equals(server.hostPort()))
        .findFirst()
        .orElseThrow();
  }

  /** Reads a {@code type=Tunables} attribute over a JMX connection of its own. */
  private static String tunable(LiveServer server, String attribute) throws Exception {
    try (JMXConnector connector =
        JMXConnectorFactory.connect(
            ServerAddress.parse(server.hostPort()).url(),
            Map.of(
                JMXConnector.CREDENTIALS,
                new String[] {LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD}))) {
      return String.valueOf(
          connector
              .getMBeanServerConnection()
              .getAttribute(new ObjectName("dev.ringway:type=Tunables"), attribute));
    }
  }

  /** Selects both servers' rows (click, then control-click) and applies {@code KEY → value}. */
  @SuppressWarnings("unchecked")
  private void applyToBoth(FxRobot robot, String value) {
    robot.clickOn(tableRow(robot, first));
    robot.press(KeyCode.CONTROL).clickOn(tableRow(robot, second)).release(KeyCode.CONTROL);
    ChoiceBox<String> key = robot.lookup("#fleet-key").queryAs(ChoiceBox.class);
    robot.interact(() -> key.setValue(KEY));
    robot.clickOn("#fleet-value").write(value);
    robot.clickOn("#fleet-apply");
  }

  private String result(FxRobot robot) {
    return robot.lookup("#fleet-result").queryAs(Label.class).getText();
  }

  @Test
  void bothServersShowInOneTableAndAStoppedOneGoesDownAlone(FxRobot robot) throws Exception {
    awaitBothSampled();
    FleetRow shown = rowNow(first);
    assertThat(shown.version()).isNotBlank();
    assertThat(shown.engine()).isIn("uring", "nio");
    assertThat(shown.sessions()).isZero();
    assertThat(shown.alerts()).as("no alert rules configured").isZero();
    TableView<?> table = robot.lookup("#fleet-table").queryAs(TableView.class);
    TableColumn<?, ?> alerts =
        onFx(() ->
            table.getColumns().stream()
                .filter(c -> c.getText().equals("Alerts"))
                .findFirst()
                .orElseThrow());
    assertThat(onFx(() -> alerts.getCellData(0))).isEqualTo("0");

    second.stopProcess();
    await(
        "the stopped server's row to show down",
        () -> row(second).status() == FleetRow.Status.DOWN);
    FleetRow down = rowNow(second);
    assertThat(down.stateText()).startsWith("down: ").contains("retry");
    long samplesWhenDown = rowNow(first).samples();
    await(
        "the other server's row to go on updating",
        () -> row(first).samples() >= samplesWhenDown + 3);
    assertThat(rowNow(first).status()).isEqualTo(FleetRow.Status.CONNECTED);
    assertThat(rowNow(second).status()).isEqualTo(FleetRow.Status.DOWN);

    second.startProcess();
    long samplesWhenBack = rowNow(second).samples();
    await(
        "the restarted server's row to come back and update",
        () ->
            row(second).status() == FleetRow.Status.CONNECTED
                && row(second).samples() > samplesWhenBack);
  }

  @Test
  void aChangeIsAppliedToBothSelectedServers(FxRobot robot) throws Exception {
    awaitBothSampled();
    String slots = String.valueOf(33 + (int) (System.nanoTime() % 30));

    applyToBoth(robot, slots);

    await("both outcomes", () -> row(first).outcome() != null && row(second).outcome() != null);
    assertThat(rowNow(first).outcome()).isInstanceOf(FleetOutcome.Applied.class);
    assertThat(rowNow(second).outcome()).isInstanceOf(FleetOutcome.Applied.class);
    await("the result to list both", () -> result(robot).contains(second.hostPort() + ": applied"));
    assertThat(onFx(() -> result(robot)))
        .contains(first.hostPort() + ": applied")
        .contains(KEY + " → " + slots);
    assertThat(tunable(first, ATTRIBUTE)).isEqualTo(slots);
    assertThat(tunable(second, ATTRIBUTE)).isEqualTo(slots);
  }

  @Test
  void aChangeOneServerRefusesIsShownWithItsMessageWhileTheOtherApplies(FxRobot robot)
      throws Exception {
    awaitBothSampled();
    String before = tunable(second, ATTRIBUTE);
    // 64 tun + 600 udp + 512 tx + 8 control = 1184 completions: within the first server's 2048,
    // beyond the second's 1024.
    applyToBoth(robot, "600");

    await("both outcomes", () -> row(first).outcome() != null && row(second).outcome() != null);
    assertThat(rowNow(first).outcome()).isInstanceOf(FleetOutcome.Applied.class);
    FleetOutcome refused = rowNow(second).outcome();
    assertThat(refused).isInstanceOf(FleetOutcome.Refused.class);
    assertThat(refused.describe()).contains("slot budget exceeded").contains("1024");
    await(
        "the result to show the refusal",
        () -> result(robot).contains(second.hostPort() + ": refused"));
    assertThat(onFx(() -> result(robot))).contains("slot budget exceeded");
    assertThat(tunable(first, ATTRIBUTE)).isEqualTo("600");
    assertThat(tunable(second, ATTRIBUTE)).isEqualTo(before);
  }

  @Test
  void aDoubleClickedRowOpensThatServersDashboard(FxRobot robot) throws Exception {
    awaitBothSampled();

    robot.doubleClickOn(tableRow(robot, second));

    await("a dashboard window", () -> !dashboards.isEmpty());
    await(
        "its banner to say connected to the second server",
        () ->
            robot.lookup("#banner").queryAllAs(Label.class).stream()
                .anyMatch(l -> l.getText().startsWith("connected to " + second.hostPort())));
    assertThat(opened).singleElement().extracting(Profile::address).isEqualTo(second.hostPort());
    assertThat(
            robot.lookup("#banner").queryAllAs(Label.class).stream()
                .noneMatch(l -> l.getText().contains(first.hostPort())))
        .isTrue();
  }

  @Test
  void openDashboardNeedsASelection(FxRobot robot) throws Exception {
    assertThat(onFx(() -> robot.lookup("#open-dashboard").query().isDisabled())).isTrue();
    robot.clickOn(tableRow(robot, first));
    assertThat(onFx(() -> robot.lookup("#open-dashboard").query().isDisabled())).isFalse();
    robot.clickOn("#open-dashboard");
    await("a dashboard window", () -> !dashboards.isEmpty());
    assertThat(opened).singleElement().extracting(Profile::address).isEqualTo(first.hostPort());
    assertThat(opened.getFirst().user()).isEqualTo(LiveServer.OPERATOR);
  }
}
