package dev.ringway.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A systemd unit file read as systemd reads its simple form: {@code [Section]} headers, {@code
 * Key=Value} lines, {@code #} and {@code ;} comments; a key may repeat.
 */
record SystemdUnit(Map<String, Map<String, List<String>>> sections) {

  static SystemdUnit read(Path file) throws IOException {
    Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
    Map<String, List<String>> current = null;
    for (String raw : Files.readAllLines(file)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        current = new LinkedHashMap<>();
        sections.put(line.substring(1, line.length() - 1), current);
        continue;
      }
      int equals = line.indexOf('=');
      if (current == null || equals < 1) {
        throw new IllegalArgumentException(file + ": not a unit line: " + raw);
      }
      current
          .computeIfAbsent(line.substring(0, equals).strip(), key -> new ArrayList<>())
          .add(line.substring(equals + 1).strip());
    }
    return new SystemdUnit(sections);
  }

  /** Every value of {@code key} in {@code section}, in file order. */
  List<String> values(String section, String key) {
    return sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
  }
}
