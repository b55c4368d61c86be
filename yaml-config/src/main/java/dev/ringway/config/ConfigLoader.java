package dev.ringway.config;

import dev.ringway.config.Yaml.Entry;
import dev.ringway.config.Yaml.Mapping;
import dev.ringway.config.Yaml.Node;
import dev.ringway.config.Yaml.Null;
import dev.ringway.config.Yaml.Position;
import dev.ringway.config.Yaml.Scalar;
import dev.ringway.config.Yaml.Source;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Loads a configuration: reads the YAML file, applies {@code --set} overrides, substitutes the
 * environment, binds and validates every key and rule, and checks that the files it names exist —
 * reporting every problem at once.
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  /**
   * Loads {@code file} (or, when it is {@code null}, the embedded defaults) for {@code role}, with
   * {@code sets} ({@code --set KEY=VALUE}, in order; values are YAML scalars) winning over the
   * file, and {@code ${NAME}} substituted from the process environment.
   */
  public static ConfigOutcome load(Path file, Map<String, String> sets, Role role) {
    return load(file, sets, role, System::getenv);
  }

  /** As {@link #load(Path, Map, Role)}, reading variables through {@code environment}. */
  public static ConfigOutcome load(
      Path file, Map<String, String> sets, Role role, Function<String, String> environment) {
    return loadAs(file, sets, role, environment).outcome();
  }

  /** An outcome and the role it was checked for. */
  record Checked(ConfigOutcome outcome, Role role) {}

  /**
   * Loads as {@link #load(Path, Map, Role, Function)}; a {@code null} role is inferred: client when
   * the file sets client keys and no server keys, otherwise server.
   */
  static Checked loadAs(
      Path file, Map<String, String> sets, Role role, Function<String, String> environment) {
    ErrorList errors = new ErrorList();
    Path workingDirectory = Path.of("").toAbsolutePath();
    Node root;
    Source fileSource;
    if (file == null) {
      fileSource = new Source("(defaults)", workingDirectory, 0, false);
      root = new Null(new Position(fileSource, 0, 0));
    } else {
      fileSource = new Source(file.toString(), file.toAbsolutePath().getParent(), 0, true);
      String text = readFile(file, fileSource, errors);
      root = text == null ? null : YamlReader.read(text, fileSource, errors);
      if (root == null) {
        return new Checked(new ConfigOutcome.Invalid(errors.sorted()), role);
      }
    }
    int order = 1;
    for (Map.Entry<String, String> set : sets.entrySet()) {
      Source source =
          new Source(
              "--set " + set.getKey() + "=" + set.getValue(), workingDirectory, order++, false);
      root = override(root, set.getKey(), set.getValue(), source, errors);
    }
    Binder binder = new Binder(errors, environment);
    binder.bindDocument(root);
    Settings.Values values = binder.values();
    Config config = Settings.assemble(values);
    Role checkedRole = role != null ? role : infer(values);
    for (Rules.Violation v :
        Rules.check(config, checkedRole, values::isSet, s -> errors.hasErrorAt(s.key()))) {
      Position at = binder.positionOf(v.setting().key());
      if (at == null) {
        int start = fileSource.isFile() ? 1 : 0;
        at = new Position(fileSource, start, start);
      }
      errors.add(at, v.setting().key(), v.value(), v.rule(), v.suggestion());
    }
    checkFiles(config, checkedRole, binder, errors);
    ConfigOutcome outcome =
        errors.isEmpty()
            ? new ConfigOutcome.Valid(config)
            : new ConfigOutcome.Invalid(errors.sorted());
    return new Checked(outcome, checkedRole);
  }

  private static String readFile(Path file, Source source, ErrorList errors) {
    Position top = new Position(source, 0, 0);
    Path absolute = file.toAbsolutePath();
    if (Files.isDirectory(file)) {
      errors.add(top, "", null, "is a directory, not a configuration file: " + absolute, null);
      return null;
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      errors.add(top, "", null, "file not found: " + absolute, null);
    } catch (AccessDeniedException e) {
      errors.add(top, "", null, "permission denied: " + absolute, null);
    } catch (CharacterCodingException e) {
      errors.add(top, "", null, "not UTF-8 text: " + absolute, null);
    } catch (IOException e) {
      errors.add(top, "", null, "cannot read " + absolute + ": " + e.getMessage(), null);
    }
    return null;
  }

  /** Puts a {@code --set} value into the tree, creating sections as needed. */
  private static Node override(
      Node root, String key, String value, Source source, ErrorList errors) {
    Position at = new Position(source, 0, 0);
    List<String> path = Arrays.asList(key.split("\\.", -1));
    if (key.isEmpty() || path.contains("")) {
      errors.add(at, key, value, "is not a dotted key such as io.tun.rxSlots", null);
      return root;
    }
    Setting<?> setting = Settings.byKey(key);
    boolean structured = setting != null && !(setting.kind instanceof Kind.ScalarKind);
    Node node = structured ? YamlReader.read(value, source, errors) : scalar(value, at);
    return node == null ? root : put(root, path, node, at);
  }

  /**
   * A {@code --set} value as a YAML scalar: {@code null}, {@code ~} and nothing mean null, quotes
   * are removed, and anything else is taken as written (so {@code [::1]:27690} needs no quoting).
   */
  private static Node scalar(String value, Position at) {
    return switch (value) {
      case "", "~", "null", "Null", "NULL" -> new Null(at);
      default -> {
        boolean quoted =
            value.length() >= 2
                && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                && value.charAt(value.length() - 1) == value.charAt(0);
        yield new Scalar(at, quoted ? value.substring(1, value.length() - 1) : value);
      }
    };
  }

  private static Node put(Node node, List<String> path, Node value, Position at) {
    if (path.isEmpty()) {
      return value;
    }
    String head = path.getFirst();
    List<String> rest = path.subList(1, path.size());
    List<Entry> entries =
        new ArrayList<>(node instanceof Mapping mapping ? mapping.entries() : List.of());
    Position position = node instanceof Mapping mapping ? mapping.position() : at;
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      if (entry.key().equals(head)) {
        Position keyAt = rest.isEmpty() ? at : entry.keyPosition();
        entries.set(i, new Entry(head, keyAt, put(entry.value(), rest, value, at)));
        return new Mapping(position, entries);
      }
    }
    entries.add(new Entry(head, at, put(new Null(at), rest, value, at)));
    return new Mapping(position, entries);
  }

  private static Role infer(Settings.Values values) {
    boolean client = false;
    for (Setting<?> setting : Settings.ALL) {
      if (values.isSet(setting) && setting.roles().size() == 1) {
        if (setting.appliesTo(Role.SERVER)) {
          return Role.SERVER;
        }
        client = true;
      }
    }
    return client ? Role.CLIENT : Role.SERVER;
  }

  /** The files the role will open must exist now, not fail later at start-up. */
  private static void checkFiles(Config config, Role role, Binder binder, ErrorList errors) {
    for (Setting<?> setting : Settings.ALL) {
      if (setting.kind instanceof Kind.FilePath
          && setting != Settings.STATE_DIR
          && setting.appliesTo(role)
          && setting.valueIn(config) instanceof Path path
          && !errors.hasErrorAt(setting.key())) {
        checkFile(path, setting.key(), binder, errors);
      }
    }
    Config.JmxTls tls = config.jmx().tls();
    if (tls != null) {
      checkFile(tls.cert(), "jmx.tls.cert", binder, errors);
      checkFile(tls.key(), "jmx.tls.key", binder, errors);
      if (tls.clientCa() != null) {
        checkFile(tls.clientCa(), "jmx.tls.clientCa", binder, errors);
      }
    }
  }

  private static void checkFile(Path path, String key, Binder binder, ErrorList errors) {
    String problem =
        !Files.exists(path)
            ? "file not found: "
            : Files.isDirectory(path)
                ? "is a directory, not a file: "
                : !Files.isReadable(path) ? "file is not readable: " : null;
    if (problem != null) {
      errors.add(binder.positionOf(key), key, path.toString(), problem + path, null);
    }
  }
}
