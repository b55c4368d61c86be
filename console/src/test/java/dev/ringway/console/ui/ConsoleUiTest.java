package dev.ringway.console.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.console.history.Recording;
import dev.ringway.console.link.ConnectionInfo;
import dev.ringway.console.link.LinkState;
import dev.ringway.console.link.LiveClient;
import dev.ringway.console.link.LiveServer;
import dev.ringway.console.link.LiveTunables;
import dev.ringway.console.link.ProfileStore;
import dev.ringway.console.link.ServerEvent;
import dev.ringway.console.link.ServerLink;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.NetnsTest;
import dev.ringway.testkit.UiTest;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
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
 * The console's window driven as an operator would (TestFX on Monocle, headless) against a real
 * server in a namespace: connecting, a wrong password, applying a change and seeing it applied and
 * charted, an invalid change stopped before it is sent, a read-only monitor, a live client
 * disconnected from the Connections tab, CSV and PNG export.
 */
@UiTest
@NetnsTest
@ExtendWith(ApplicationExtension.class)
class ConsoleUiTest {
  private static final Duration SOON = Duration.ofSeconds(20);

  @TempDir static Path dir;
  private static LiveServer server;

  private ConsoleView view;

  /** The files the console's save dialog was answered with, in order. */
  private final List<Path> saved = new CopyOnWriteArrayList<>();

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

  @Start
  void start(Stage stage) {
    saved.clear();
    view =
        new ConsoleView(
            new ProfileStore(dir.resolve("console.yaml")),
            (owner, kind, pattern, name) -> {
              Path file = dir.resolve(name);
              saved.add(file);
              return file;
            });
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

  private String text(FxRobot robot, String id) throws Exception {
    return onFx(() -> robot.lookup("#" + id).queryAs(Label.class).getText());
  }

  private void login(FxRobot robot, String user, String password) {
    robot.clickOn("#address").write(server.hostPort());
    robot.clickOn("#user").write(user);
    robot.clickOn("#password").write(password);
    robot.clickOn("#connect");
  }

  private TextField pending(FxRobot robot, String key) {
    return robot.lookup("#pending-" + TuningPane.nodeId(key)).queryAs(TextField.class);
  }

  /** Opens the Tuning tab and types {@code text} over the pending value of {@code key}. */
  private void type(FxRobot robot, String key, String text) {
    robot.clickOn("Tuning");
    TextField field = pending(robot, key);
    robot.clickOn(field);
    robot.interact(field::selectAll);
    robot.write(text);
  }

  private void awaitTunablesShown(FxRobot robot) {
    await(
        "the tuning pane to show the applied values",
        () ->
            !pending(robot, "io.udp.rxSlots").isDisabled()
                && !pending(robot, "io.udp.rxSlots").getText().isEmpty());
  }

  @Test
  void connectingShowsConnectedInTheBanner(FxRobot robot) throws Exception {
    login(robot, LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD);

    await("the banner to say connected", () -> banner(robot).startsWith("connected to"));

    assertThat(text(robot, "banner")).contains(server.hostPort()).contains("operator");
  }

  private String banner(FxRobot robot) {
    return robot.lookup("#banner").queryAs(Label.class).getText();
  }

  @Test
  void aWrongPasswordShowsTheServersRefusalInTheBanner(FxRobot robot) throws Exception {
    login(robot, LiveServer.OPERATOR, "wrong");

    await(
        "the banner to say the login was refused",
        () -> banner(robot).contains("login refused: wrong user name or password"));

    assertThat(text(robot, "banner"))
        .endsWith("type the user and password above and press Connect");
    assertThat(onFx(() -> robot.lookup("#password").query().isFocused())).isTrue();
  }

  @Test
  void aValidChangeIsAppliedShownAndCharted(FxRobot robot) throws Exception {
    login(robot, LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD);
    awaitTunablesShown(robot);
    String slots = String.valueOf(33 + (int) (System.nanoTime() % 30));

    type(robot, "io.udp.rxSlots", slots);
    await(
        "the diff to show the pending change",
        () -> robot.lookup("#diff").queryAs(Label.class).getText().contains("→ " + slots));
    robot.clickOn("#apply");

    await("the server's answer", () -> text0(robot, "result").startsWith("applied"));
    assertThat(text(robot, "result")).contains("io.udp.rxSlots").contains("→ " + slots);
    await(
        "the applied column to show " + slots,
        () -> text0(robot, "applied-" + TuningPane.nodeId("io.udp.rxSlots")).equals(slots));
    String slotsColumn = Recording.column("udp.rx", Recording.PathFigure.SLOTS);
    await(
        "the dashboard to chart udp.rx with " + slots + " slots",
        () -> {
          Recording recording = view.dashboard().recording();
          return recording.size() > 0
              && recording.value(slotsColumn, recording.size() - 1) == Integer.parseInt(slots);
        });
    assertThat(onFx(() -> view.events().lines()))
        .anyMatch(line -> line.contains("jmx.attribute.change") && line.contains(slots));
  }

  private static String text0(FxRobot robot, String id) {
    return robot.lookup("#" + id).queryAs(Label.class).getText();
  }

  @Test
  void anInvalidChangeShowsTheInlineErrorAndIsNotSent(FxRobot robot) throws Exception {
    login(robot, LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD);
    awaitTunablesShown(robot);
    LiveTunables before = readTunables();

    type(robot, "io.tun.rxSlots", "0");
    await(
        "the inline error",
        () -> !text0(robot, "error-" + TuningPane.nodeId("io.tun.rxSlots")).isEmpty());
    robot.clickOn("#apply");

    assertThat(text(robot, "error-" + TuningPane.nodeId("io.tun.rxSlots"))).contains("0");
    assertThat(onFx(() -> robot.lookup("#apply").queryAs(Button.class).isDisabled())).isTrue();
    assertThat(text(robot, "result")).isEmpty();
    assertThat(readTunables()).isEqualTo(before);
    assertThat(onFx(() -> view.events().lines()))
        .noneMatch(line -> line.contains(ServerEvent.RETUNE_FAILED));
  }

  /** The server's tunables, read over a link of the test's own. */
  private static LiveTunables readTunables() throws Exception {
    List<LinkState> states = new CopyOnWriteArrayList<>();
    try (ServerLink link =
        ServerLink.open(
            server.profile(LiveServer.MONITOR, LiveServer.MONITOR_PASSWORD),
            new ServerLink.Listener() {
              @Override
              public void stateChanged(LinkState state) {
                states.add(state);
              }

              @Override
              public void sampled(
                  dev.ringway.console.link.Sample sample, dev.ringway.console.link.Rates rates) {}

              @Override
              public void event(ServerEvent event) {}
            })) {
      Await.until(
          "a link of the test's own",
          SOON,
          () -> states.stream().anyMatch(s -> s instanceof LinkState.Connected));
      return link.tunables();
    }
  }

  @Test
  void aMonitorSeesTheValuesButCannotEditOrApply(FxRobot robot) throws Exception {
    login(robot, LiveServer.MONITOR, LiveServer.MONITOR_PASSWORD);
    awaitTunablesShown(robot);

    assertThat(text(robot, "read-only")).contains("read-only").contains("monitor");
    assertThat(onFx(() -> pending(robot, "io.tun.rxSlots").isEditable())).isFalse();
    assertThat(onFx(() -> robot.lookup("#apply").queryAs(Button.class).isDisabled())).isTrue();
    assertThat(text(robot, "banner")).contains("monitor");
  }

  @Test
  void exportWritesEveryRecordedSampleAsCsvAndTheChartsAsPng(FxRobot robot) throws Exception {
    login(robot, LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD);
    await("two samples charted", () -> view.dashboard().recording().size() >= 2);
    robot.clickOn("#pause");
    int rows = onFx(() -> view.dashboard().recording().size());

    robot.clickOn("#export-csv");
    await("the CSV saved", () -> text0(robot, "exported").startsWith("saved"));
    robot.clickOn("#save-charts-png");
    await("the PNG saved", () -> text0(robot, "exported").endsWith(".png"));

    assertThat(saved)
        .extracting(Path::getFileName)
        .extracting(Path::toString)
        .containsExactly("ringway.csv", "ringway-dashboard.png");
    List<String> lines = Files.readAllLines(saved.getFirst());
    assertThat(lines.getFirst()).startsWith("time,epochMillis,").contains("tun.rx Mbit/s");
    assertThat(lines).hasSizeGreaterThan(rows);
    BufferedImage image = ImageIO.read(saved.getLast().toFile());
    TimeSeriesChart last = onFx(() -> view.dashboard().charts().getLast());
    assertThat(image.getHeight()).isGreaterThan(3 * onFx(last::getHeight).intValue());
  }

  @Test
  void aChartsOwnButtonSavesItAsAPngOfItsSize(FxRobot robot) throws Exception {
    login(robot, LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD);
    await("two samples charted", () -> view.dashboard().recording().size() >= 2);
    TimeSeriesChart throughput = onFx(() -> view.dashboard().charts().get(1));
    robot.clickOn("#pause");

    robot.clickOn("#png-throughput");
    await("the PNG saved", () -> text0(robot, "exported").startsWith("saved"));

    assertThat(saved).singleElement().hasToString(dir.resolve("ringway-throughput.png").toString());
    BufferedImage image = ImageIO.read(saved.getFirst().toFile());
    assertThat(image).as("a PNG that ImageIO decodes").isNotNull();
    assertThat(image.getWidth()).isEqualTo((int) Math.ceil(onFx(throughput::getWidth)));
    assertThat(image.getHeight()).isEqualTo((int) Math.ceil(onFx(throughput::getHeight)));
    assertThat(colours(image)).as("colours drawn: background, axes, text, lines").isGreaterThan(4);
  }

  private static long colours(BufferedImage image) {
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        seen.add(image.getRGB(x, y));
      }
    }
    return seen.size();
  }

  @Test
  void whenTheServerRestartsTheBannerSaysReconnectingAndChartingGoesOn(FxRobot robot)
      throws Exception {
    login(robot, LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD);
    await("two samples charted", () -> view.dashboard().recording().size() >= 2);
    long beforeStop = onFx(() -> lastChartedMillis());

    server.stopProcess();
    try {
      await("the banner to say reconnecting", () -> banner(robot).startsWith("reconnecting to"));
    } finally {
      server.startProcess();
    }

    await("the banner to say connected again", () -> banner(robot).startsWith("connected to"));
    await("a sample from the restarted server", () -> lastChartedMillis() > beforeStop + 1000);
    assertThat(onFx(() -> view.events().lines()))
        .anyMatch(line -> line.contains("lost the server"))
        .anyMatch(line -> line.contains("the server restarted"));
  }

  @Test
  void revertSendsBackTheValuesTheLastChangeReplaced(FxRobot robot) throws Exception {
    login(robot, LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD);
    awaitTunablesShown(robot);
    String key = "io.tx.slots";
    String before = onFx(() -> text0(robot, "applied-" + TuningPane.nodeId(key)));
    String changed = String.valueOf(Integer.parseInt(before) - 16);
    type(robot, key, changed);
    robot.clickOn("#apply");
    await(
        "the change applied",
        () -> text0(robot, "applied-" + TuningPane.nodeId(key)).equals(changed));

    robot.clickOn("#revert");

    await(
        "the old value back",
        () -> text0(robot, "applied-" + TuningPane.nodeId(key)).equals(before));
    assertThat(text(robot, "result")).contains(key + " " + changed + " → " + before);
    assertThat(onFx(() -> robot.lookup("#history").queryListView().getItems())).hasSize(2);
  }

  @Test
  void pauseHoldsTheChartsWhileSamplingGoesOnAndFollowCatchesUp(FxRobot robot) throws Exception {
    login(robot, LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD);
    await("two samples charted", () -> view.dashboard().recording().size() >= 2);

    robot.clickOn("#pause");
    long held = onFx(() -> view.dashboard().charts().getFirst().rightEdgeMillis());
    int rows = onFx(() -> view.dashboard().recording().size());
    await("two more samples", () -> view.dashboard().recording().size() >= rows + 2);

    assertThat(onFx(() -> view.dashboard().charts().getFirst().rightEdgeMillis())).isEqualTo(held);
    robot.clickOn("#pause");
    assertThat(onFx(() -> view.dashboard().charts().getFirst().rightEdgeMillis()))
        .isEqualTo(onFx(this::lastChartedMillis));
  }

  @Test
  void anOperatorSeesALiveClientWithItsUserAndDisconnectsIt(FxRobot robot) throws Exception {
    long before = System.currentTimeMillis();
    try (LiveClient client = server.startClient()) {
      client.awaitOnline();
      login(robot, LiveServer.OPERATOR, LiveServer.OPERATOR_PASSWORD);
      robot.clickOn("Connections");

      ConnectionInfo row = awaitRowOf(robot, client);
      assertThat(row.user()).isEqualTo(LiveClient.USER);
      assertThat(row.state()).isEqualTo("ONLINE");
      assertThat(row.innerIp()).startsWith("10.125.");
      assertThat(row.sinceEpochMillis()).isBetween(before, System.currentTimeMillis());
      robot.clickOn(row.session());
      assertThat(onFx(() -> robot.lookup("#disconnect").queryAs(Button.class).isDisabled()))
          .isFalse();
      robot.clickOn("#disconnect");

      await(
          "the row of " + row.session() + " to go",
          () -> rows(robot).stream().noneMatch(r -> r.session().equals(row.session())));
      assertThat(text(robot, "connections-note")).isEqualTo("disconnected " + row.session());
      client.awaitSentAway();
      await(
          "the Connections chart to show no client",
          () -> {
            Recording recording = view.dashboard().recording();
            return recording.value(Recording.CONNECTIONS, recording.size() - 1) == 0;
          });
    }
  }

  @Test
  void aMonitorSeesALiveClientButMayNotDisconnectIt(FxRobot robot) throws Exception {
    try (LiveClient client = server.startClient()) {
      client.awaitOnline();
      login(robot, LiveServer.MONITOR, LiveServer.MONITOR_PASSWORD);
      robot.clickOn("Connections");

      ConnectionInfo row = awaitRowOf(robot, client);
      robot.clickOn(row.session());

      assertThat(
              onFx(() ->
                  robot
                      .lookup("#connections")
                      .queryTableView()
                      .getSelectionModel()
                      .getSelectedItem()))
          .isEqualTo(row);
      assertThat(onFx(() -> robot.lookup("#disconnect").queryAs(Button.class).isDisabled()))
          .isTrue();
      assertThat(text(robot, "connections-note")).contains("read-only").contains("monitor");
      assertThat(client.sentAway()).isFalse();
    }
  }

  private static List<ConnectionInfo> rows(FxRobot robot) {
    TableView<?> table = robot.lookup("#connections").queryAs(TableView.class);
    return table.getItems().stream().map(ConnectionInfo.class::cast).toList();
  }

  /** Waits for the Connections table to list {@code client} (by its outside address). */
  private ConnectionInfo awaitRowOf(FxRobot robot, LiveClient client) {
    return Await.value(
        "the Connections table to list the client from " + client.outsideIp(),
        SOON,
        () -> {
          try {
            return onFx(() -> rows(robot)).stream()
                .filter(r -> r.outerAddress().startsWith(client.outsideIp() + ":"))
                .findFirst()
                .orElse(null);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private long lastChartedMillis() {
    Recording recording = view.dashboard().recording();
    return recording.time(recording.size() - 1);
  }
}
