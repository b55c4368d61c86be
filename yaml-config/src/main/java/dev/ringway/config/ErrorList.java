package dev.ringway.config;

import dev.ringway.config.Yaml.Position;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Errors gathered while loading, so that all of them are reported at once, sorted by position. */
final class ErrorList {

  private record Found(Position position, int sequence, ConfigError error) {}

  private static final Comparator<Found> BY_POSITION =
      Comparator.<Found>comparingInt(f -> f.position() == null ? 0 : f.position().source().order())
          .thenComparingInt(f -> f.position() == null ? 0 : f.position().line())
          .thenComparingInt(f -> f.position() == null ? 0 : f.position().column())
          .thenComparingInt(Found::sequence);

  private final List<Found> found = new ArrayList<>();
  private final Set<String> keys = new HashSet<>();

  void add(Position position, String key, String value, String rule, String suggestion) {
    String origin = position == null ? "" : position.source().label();
    int line = position == null ? 0 : position.line();
    int column = position == null ? 0 : position.column();
    found.add(
        new Found(
            position,
            found.size(),
            new ConfigError(origin, key, line, column, value, rule, suggestion)));
    keys.add(key);
  }

  int size() {
    return found.size();
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  /**
   * True when an error was reported for {@code key} or for a part of it ({@code key.x}, {@code
   * key[0]}).
   */
  boolean hasErrorAt(String key) {
    return keys.stream()
        .anyMatch(k -> k.equals(key) || k.startsWith(key + ".") || k.startsWith(key + "["));
  }

  List<ConfigError> sorted() {
    return found.stream().sorted(BY_POSITION).map(Found::error).toList();
  }
}
