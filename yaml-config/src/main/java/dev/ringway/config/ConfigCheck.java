package dev.ringway.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** {@code ringway config check FILE}: loads and validates a file and says what is wrong. */
public final class ConfigCheck {

  /** Exit code of a valid configuration. */
  public static final int VALID = 0;

  /** Exit code of an invalid configuration (the launcher's "usage or configuration error"). */
  public static final int INVALID = 2;

  private ConfigCheck() {}

  /**
   * What the command prints and its exit code.
   *
   * @param exitCode {@link #VALID} or {@link #INVALID}
   * @param lines one line per error, sorted by position, then a summary; or one line saying the
   *     file is valid
   */
  public record Result(int exitCode, List<String> lines) {
    public Result {
      lines = List.copyOf(lines);
    }
  }

  /**
   * Checks {@code file} with {@code sets} applied, for {@code role}, or when {@code role} is {@code
   * null} for the role its keys show (client when it sets client keys and no server keys).
   */
  public static Result check(Path file, Map<String, String> sets, Role role) {
    return check(file, sets, role, System::getenv);
  }

  /** As {@link #check(Path, Map, Role)}, reading variables through {@code environment}. */
  public static Result check(
      Path file, Map<String, String> sets, Role role, Function<String, String> environment) {
    ConfigLoader.Checked checked = ConfigLoader.loadAs(file, sets, role, environment);
    return switch (checked.outcome()) {
      case ConfigOutcome.Valid valid ->
          new Result(VALID, List.of(file + ": valid " + checked.role().label() + " configuration"));
      case ConfigOutcome.Invalid invalid -> {
        List<String> lines = new ArrayList<>();
        invalid.errors().forEach(e -> lines.add(e.render()));
        int count = invalid.errors().size();
        String as =
            checked.role() == null
                ? ""
                : " (checked as a " + checked.role().label() + " configuration)";
        lines.add(file + ": " + count + (count == 1 ? " error" : " errors") + as);
        yield new Result(INVALID, lines);
      }
    };
  }
}
