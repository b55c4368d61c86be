package dev.ringway.console.history;

import dev.ringway.console.link.Rates;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's figures over time: a ring of rows, each the server time of one {@link Rates} and
 * every series' value then. The oldest rows give way once {@code capacity} is reached, so memory
 * stays fixed however long the console runs. Columns are created on first sight of a path, and a
 * column that did not exist yet reads NaN. Not thread-safe: the UI thread owns it.
 */
public final class Recording {
  /** 30 minutes at one sample a second, with room to spare. */
  public static final int DEFAULT_CAPACITY = 2048;

  private final int capacity;
  private final long[] times;
  private final Map<String, double[]> columns = new LinkedHashMap<>();
  private int start;
  private int size;

  public Recording() {
    this(DEFAULT_CAPACITY);
  }

  public Recording(int capacity) {
    this.capacity = capacity;
    this.times = new long[capacity];
  }

  /** The column names, in the order they were first seen. */
  public List<String> columns() {
    return Collections.unmodifiableList(new ArrayList<>(columns.keySet()));
  }

  /** Rows held. */
  public int size() {
    return size;
  }

  /** The server time (epoch ms) of row {@code i}, 0 being the oldest held. */
  public long time(int i) {
    return times[slot(i)];
  }

  /** The value of {@code column} in row {@code i}; NaN when unknown then or no such column. */
  public double value(String column, int i) {
    double[] values = columns.get(column);
    return values == null ? Double.NaN : values[slot(i)];
  }

  /**
   * Reads {@code column} by row without looking the column up each time, for the charts, which read
   * every visible value on each redraw.
   */
  public java.util.function.IntToDoubleFunction reader(String column) {
    double[] values = columns.get(column);
    if (values == null) {
      return i -> Double.NaN;
    }
    return i -> values[slot(i)];
  }

  private int slot(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i + " of " + size);
    }
    return (start + i) % capacity;
  }

  /** The column of one path's figure, e.g. {@code tun.rx Mbit/s}. */
  public static String column(String path, PathFigure figure) {
    return path + " " + figure.label();
  }

  /** The figures recorded per path. */
  public enum PathFigure {
    MEGABITS("Mbit/s"),
    PACKETS("packets/s"),
    EAGAIN("EAGAIN/s"),
    IN_FLIGHT("in flight"),
    SLOTS("slots");

    private final String label;

    PathFigure(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public static final String PROCESS_CPU = "process CPU %";
  public static final String LOOP_CPU = "loop thread CPU %";
  public static final String SQPOLL_CPU = "SQPOLL thread CPU %";
  public static final String CQES_PER_ENTER = "CQEs per enter";
  public static final String CONNECTIONS = "connections";

  /**
   * Adds a row at {@code epochMillis} where every figure is unknown, so the charts break their
   * lines there: the server restarted, and nothing is known between its runs.
   */
  public void addGap(long epochMillis) {
    newRow(epochMillis);
  }

  /** Adds the figures of {@code rates} as the newest row. */
  public void add(Rates rates) {
    putRates(newRow(rates.epochMillis()), rates);
  }

  /** Takes the next row (the oldest once full), every column NaN until put. */
  private int newRow(long epochMillis) {
    int row;
    if (size < capacity) {
      row = (start + size) % capacity;
      size++;
    } else {
      row = start;
      start = (start + 1) % capacity;
    }
    for (double[] values : columns.values()) {
      values[row] = Double.NaN;
    }
    times[row] = epochMillis;
    return row;
  }

  private void putRates(int row, Rates rates) {
    put(row, PROCESS_CPU, rates.processCpuPercent());
    put(row, LOOP_CPU, rates.loopCpuPercent());
    put(row, SQPOLL_CPU, rates.sqpollCpuPercent());
    put(row, CQES_PER_ENTER, rates.cqesPerEnter());
    put(row, CONNECTIONS, rates.connections() < 0 ? Double.NaN : rates.connections());
    for (Rates.PathRates path : rates.paths()) {
      put(row, column(path.path(), PathFigure.MEGABITS), path.megabitsPerSecond());
      put(row, column(path.path(), PathFigure.PACKETS), path.packetsPerSecond());
      put(row, column(path.path(), PathFigure.EAGAIN), path.eagainPerSecond());
      put(row, column(path.path(), PathFigure.IN_FLIGHT), path.inFlight());
      put(row, column(path.path(), PathFigure.SLOTS), path.slots());
    }
  }

  private void put(int row, String column, double value) {
    columns
            .computeIfAbsent(
                column,
                name -> {
                  double[] values = new double[capacity];
                  java.util.Arrays.fill(values, Double.NaN);
                  return values;
                })[row] =
        value;
  }

  /** Writes every row as CSV: the server time in ISO-8601 and in epoch ms, then every column. */
  public void writeCsv(Writer out) throws IOException {
    List<String> names = columns();
    out.write("time,epochMillis");
    for (String name : names) {
      out.write(',');
      out.write(quoted(name));
    }
    out.write('\n');
    for (int i = 0; i < size; i++) {
      out.write(Instant.ofEpochMilli(time(i)).toString());
      out.write(',');
      out.write(Long.toString(time(i)));
      for (String name : names) {
        out.write(',');
        double value = value(name, i);
        if (!Double.isNaN(value)) {
          out.write(Double.toString(value));
        }
      }
      out.write('\n');
    }
  }

  private static String quoted(String name) {
    return name.contains(",") || name.contains("\"")
        ? "\"" + name.replace("\"", "\"\"") + "\""
        : name;
  }
}
