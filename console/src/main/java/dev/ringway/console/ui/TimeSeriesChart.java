package dev.ringway.console.ui;

import dev.ringway.console.history.Recording;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * A line chart of some of a {@link Recording}'s columns over a time window, drawn on one canvas.
 * The stock {@code LineChart} keeps a node per point and slows down with thousands of them; this
 * draws at most one line per series per redraw, whatever the window — 30 minutes of 20 series is
 * 36,000 segments a second, which a canvas draws in a few milliseconds. A NaN value, or a pause of
 * more than three samples (the server was away), leaves a gap.
 */
final class TimeSeriesChart extends Region {
  private static final Color[] PALETTE = {
    Color.web("#1f77b4"), Color.web("#ff7f0e"), Color.web("#2ca02c"), Color.web("#d62728"),
    Color.web("#9467bd"), Color.web("#8c564b"), Color.web("#e377c2"), Color.web("#7f7f7f"),
    Color.web("#bcbd22"), Color.web("#17becf")
  };
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
  private static final long GAP_MILLIS = 3_500;
  private static final double LEFT = 56;
  private static final double RIGHT = 10;
  private static final double TOP = 46;
  private static final double BOTTOM = 20;

  private final Canvas canvas = new Canvas();
  private final String title;
  private final Recording recording;
  private final List<String> columns;
  private long rightEdgeMillis;
  private long windowMillis;

  TimeSeriesChart(String title, Recording recording, List<String> columns) {
    this.title = title;
    this.recording = recording;
    this.columns = List.copyOf(columns);
    getChildren().add(canvas);
    setMinSize(200, 140);
    setPrefSize(480, 220);
  }

  String title() {
    return title;
  }

  List<String> columns() {
    return columns;
  }

  /** The server time at the chart's right edge. */
  long rightEdgeMillis() {
    return rightEdgeMillis;
  }

  /** Shows the window of {@code windowMillis} ending at server time {@code rightEdgeMillis}. */
  void show(long rightEdgeMillis, long windowMillis) {
    this.rightEdgeMillis = rightEdgeMillis;
    this.windowMillis = windowMillis;
    draw();
  }

  @Override
  protected void layoutChildren() {
    canvas.setWidth(getWidth());
    canvas.setHeight(getHeight());
    draw();
  }

  private void draw() {
    double width = canvas.getWidth();
    double height = canvas.getHeight();
    GraphicsContext g = canvas.getGraphicsContext2D();
    g.setFill(Color.WHITE);
    g.fillRect(0, 0, width, height);
    if (width < LEFT + RIGHT + 10 || height < TOP + BOTTOM + 10) {
      return;
    }
    long from = rightEdgeMillis - windowMillis;
    int first = firstRowAtOrAfter(from);
    int last = firstRowAtOrAfter(rightEdgeMillis + 1);
    double max = 0;
    for (String column : columns) {
      IntToDoubleFunction values = recording.reader(column);
      for (int i = first; i < last; i++) {
        double value = values.applyAsDouble(i);
        if (value > max) {
          max = value;
        }
      }
    }
    double top = niceCeiling(max);
    double plotWidth = width - LEFT - RIGHT;
    double plotHeight = height - TOP - BOTTOM;

    g.setFont(Font.font(12));
    g.setTextBaseline(VPos.TOP);
    g.setTextAlign(TextAlignment.LEFT);
    g.setFill(Color.BLACK);
    g.fillText(title, 6, 2);
    drawLegend(g, width);

    g.setStroke(Color.gray(0.85));
    g.setLineWidth(1);
    g.setFont(Font.font(10));
    g.setTextBaseline(VPos.CENTER);
    g.setTextAlign(TextAlignment.RIGHT);
    g.setFill(Color.gray(0.3));
    for (int tick = 0; tick <= 4; tick++) {
      double y = TOP + plotHeight - plotHeight * tick / 4;
      g.strokeLine(LEFT, y, LEFT + plotWidth, y);
      g.fillText(format(top * tick / 4), LEFT - 4, y);
    }
    g.setTextBaseline(VPos.TOP);
    g.setTextAlign(TextAlignment.LEFT);
    g.fillText(CLOCK.format(Instant.ofEpochMilli(from)), LEFT, TOP + plotHeight + 4);
    g.setTextAlign(TextAlignment.RIGHT);
    g.fillText(
        CLOCK.format(Instant.ofEpochMilli(rightEdgeMillis)),
        LEFT + plotWidth,
        TOP + plotHeight + 4);

    g.setLineWidth(1.5);
    for (int c = 0; c < columns.size(); c++) {
      g.setStroke(PALETTE[c % PALETTE.length]);
      drawSeries(
          g, recording.reader(columns.get(c)), first, last, from, plotWidth, plotHeight, top);
    }
  }

  /**
   * One series as one path. Rows that fall on the same pixel column are drawn as one vertical
   * stroke from their least to their greatest value, so a 30-minute window costs about two segments
   * per pixel instead of one per sample and no peak is lost.
   */
  private void drawSeries(
      GraphicsContext g,
      IntToDoubleFunction values,
      int first,
      int last,
      long from,
      double plotWidth,
      double plotHeight,
      double top) {
    g.beginPath();
    boolean drawing = false;
    long previousTime = Long.MIN_VALUE;
    int pixel = Integer.MIN_VALUE;
    double low = 0;
    double high = 0;
    for (int i = first; i < last; i++) {
      long time = recording.time(i);
      double value = values.applyAsDouble(i);
      boolean gap = Double.isNaN(value) || time - previousTime > GAP_MILLIS;
      if (Double.isNaN(value)) {
        drawing = false;
        continue;
      }
      previousTime = time;
      double x = LEFT + plotWidth * (time - from) / windowMillis;
      double y = TOP + plotHeight - (top == 0 ? 0 : plotHeight * value / top);
      int column = (int) x;
      if (drawing && !gap && column == pixel) {
        low = Math.max(low, y);
        high = Math.min(high, y);
        continue;
      }
      if (drawing && high != low) {
        g.lineTo(pixel, low);
        g.lineTo(pixel, high);
      }
      if (!drawing || gap) {
        g.moveTo(x, y);
        drawing = true;
      } else {
        g.lineTo(x, y);
      }
      pixel = column;
      low = y;
      high = y;
    }
    if (drawing && high != low) {
      g.lineTo(pixel, low);
      g.lineTo(pixel, high);
    }
    g.stroke();
  }

  /** Each series' colour, name and value at the right edge, so a figure can be read off exactly. */
  private void drawLegend(GraphicsContext g, double width) {
    g.setFont(Font.font(10));
    g.setTextBaseline(VPos.TOP);
    g.setTextAlign(TextAlignment.LEFT);
    int newest = firstRowAtOrAfter(rightEdgeMillis + 1) - 1;
    double x = 6;
    double y = 18;
    for (int c = 0; c < columns.size(); c++) {
      String column = columns.get(c);
      double value = newest < 0 ? Double.NaN : recording.value(column, newest);
      String label = column + " " + (Double.isNaN(value) ? "–" : format(value));
      double labelWidth = label.length() * 5.6 + 22;
      if (x + labelWidth > width && x > 6) {
        x = 6;
        y += 12;
      }
      g.setFill(PALETTE[c % PALETTE.length]);
      g.fillRect(x, y + 3, 10, 4);
      g.setFill(Color.gray(0.2));
      g.fillText(label, x + 13, y);
      x += labelWidth;
    }
  }

  private int firstRowAtOrAfter(long time) {
    int low = 0;
    int high = recording.size();
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (recording.time(middle) < time) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  /** 1, 2 or 5 times a power of ten, at least {@code value}; 1 for an empty chart. */
  static double niceCeiling(double value) {
    if (value <= 0) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * power >= value) {
        return step * power;
      }
    }
    return 10 * power;
  }

  /** Three significant digits or so, with k and M for large figures. */
  static String format(double value) {
    double magnitude = Math.abs(value);
    if (magnitude >= 1e6) {
      return String.format(java.util.Locale.ROOT, "%.1fM", value / 1e6);
    }
    if (magnitude >= 1e4) {
      return String.format(java.util.Locale.ROOT, "%.1fk", value / 1e3);
    }
    if (value == Math.rint(value)) {
      return String.valueOf((long) value);
    }
    if (magnitude >= 10) {
      return String.format(java.util.Locale.ROOT, "%.1f", value);
    }
    return String.format(java.util.Locale.ROOT, "%.3g", value);
  }
}
