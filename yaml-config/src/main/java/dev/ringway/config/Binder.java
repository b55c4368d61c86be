package dev.ringway.config;

import dev.ringway.config.Config.JmxTls;
import dev.ringway.config.Config.JmxUser;
import dev.ringway.config.Yaml.Entry;
import dev.ringway.config.Yaml.Mapping;
import dev.ringway.config.Yaml.Node;
import dev.ringway.config.Yaml.Null;
import dev.ringway.config.Yaml.Position;
import dev.ringway.config.Yaml.Scalar;
import dev.ringway.config.Yaml.Sequence;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Walks a {@link Yaml} tree against {@link Settings}: rejects unknown keys with a suggestion,
 * substitutes the environment, parses each value by its kind and remembers where each key was
 * written, so later rules can point at it.
 */
final class Binder {

  private static final List<String> JMX_USER_FIELDS =
      List.of("name", "password", "passwordHash", "role");
  private static final List<String> JMX_TLS_FIELDS = List.of("cert", "key", "clientCa");
  private static final List<String> JMX_TLS_REQUIRED = List.of("cert", "key");
  private static final List<String> ALERT_FIELDS =
      List.of("name", "figure", "above", "below", "for");
  private static final Kind.Span ALERT_FOR = new Kind.Span(Duration.ZERO, Duration.ofDays(1));
  private static final Kind.FilePath FILE = new Kind.FilePath();
  private static final Kind.Choice<Config.JmxRole> JMX_ROLE =
      new Kind.Choice<>(Config.JmxRole.class);

  private final ErrorList errors;
  private final Function<String, String> environment;
  private final Settings.Values values = new Settings.Values();
  private final Map<String, Position> keyPositions = new HashMap<>();

  Binder(ErrorList errors, Function<String, String> environment) {
    this.errors = errors;
    this.environment = environment;
  }

  Settings.Values values() {
    return values;
  }

  /**
   * Where {@code key} was written; for a key that was not, where its nearest written section was,
   * or {@code null}.
   */
  Position positionOf(String key) {
    for (String k = key;
        !k.isEmpty();
        k = k.contains(".") ? k.substring(0, k.lastIndexOf('.')) : "") {
      Position position = keyPositions.get(k);
      if (position != null) {
        return position;
      }
    }
    return null;
  }

  void bindDocument(Node root) {
    switch (root) {
      case Mapping mapping -> bindSection(mapping, "");
      case Null empty -> {}
      default ->
          errors.add(
              root.position(),
              "",
              text(root),
              "the document must be a mapping of keys, not " + describe(root),
              missingSpaceAfterColon(root));
    }
  }

  private void bindSection(Mapping mapping, String prefix) {
    for (Entry entry : mapping.entries()) {
      String key = join(prefix, entry.key());
      Setting<?> setting = Settings.byKey(key);
      if (entry.key().contains(".")) {
        reportUnknown(entry.keyPosition(), prefix, entry.key());
      } else if (setting != null) {
        keyPositions.put(key, entry.keyPosition());
        bindSetting(setting, entry.value(), entry.keyPosition());
      } else if (Settings.isSection(key)) {
        keyPositions.put(key, entry.keyPosition());
        switch (entry.value()) {
          case Mapping section -> bindSection(section, key);
          case Null empty -> {}
          default ->
              errors.add(
                  entry.keyPosition(),
                  key,
                  text(entry.value()),
                  "expected a section holding "
                      + String.join(", ", Settings.children(key))
                      + ", found "
                      + describe(entry.value()),
                  missingSpaceAfterColon(entry.value()));
        }
      } else {
        reportUnknown(entry.keyPosition(), prefix, entry.key());
      }
    }
  }

  private void reportUnknown(Position at, String prefix, String name) {
    String key = join(prefix, name);
    List<String> siblings = Settings.children(prefix);
    String near = Spelling.closest(name, siblings);
    if (near != null) {
      errors.add(at, key, name, "unknown key", join(prefix, near));
      return;
    }
    if (Settings.byKey(key) != null || Settings.isSection(key)) {
      errors.add(
          at,
          key,
          name,
          "unknown key — YAML does not read dots as nesting; write each part on its own level",
          null);
      return;
    }
    List<String> elsewhere = keysEndingWith(name);
    if (elsewhere.size() == 1) {
      errors.add(at, key, name, "unknown key here", elsewhere.getFirst());
      return;
    }
    String where = prefix.isEmpty() ? "the top level" : prefix;
    String rule =
        elsewhere.isEmpty()
            ? "unknown key — " + where + " holds " + String.join(", ", siblings)
            : "unknown key here — it exists as " + String.join(" and ", elsewhere);
    errors.add(at, key, name, rule, null);
  }

  private static List<String> keysEndingWith(String name) {
    List<String> found = new ArrayList<>();
    for (Setting<?> setting : Settings.ALL) {
      String key = setting.key();
      String last = key.substring(key.lastIndexOf('.') + 1);
      if (last.equalsIgnoreCase(name)) {
        found.add(key);
      }
    }
    return found;
  }

  private <T> void bindSetting(Setting<T> setting, Node node, Position at) {
    String key = setting.key();
    switch (node) {
      case Null empty -> bindNull(setting, at);
      case Scalar blank when blank.text().isEmpty() -> bindNull(setting, at);
      case Scalar scalar -> {
        String text = substitute(scalar, key, at);
        if (text == null) {
          return;
        }
        if (text.isEmpty() && setting.isNullable()) {
          values.put(setting, null);
          return;
        }
        try {
          values.put(setting, setting.parse(text, scalar.position().source()));
        } catch (Rejected r) {
          String written = text.equals(scalar.text()) ? "" : " (written as " + scalar.text() + ")";
          errors.add(at, key, text, r.rule + written, r.suggestion);
        }
      }
      case Mapping mapping when setting == Settings.JMX_TLS -> bindJmxTls(mapping, at);
      case Sequence list when setting == Settings.JMX_USERS -> bindJmxUsers(list);
      case Sequence list when setting == Settings.ALERTS -> bindAlerts(list);
      default ->
          errors.add(
              at,
              key,
              text(node),
              "expected " + setting.expected() + ", found " + describe(node),
              null);
    }
  }

  /** An empty value: unset for an optional key, a mistake for any other. */
  private void bindNull(Setting<?> setting, Position at) {
    if (setting.isNullable()) {
      values.put(setting, null);
    } else {
      errors.add(
          at,
          setting.key(),
          null,
          "no value given — expected "
              + setting.expected()
              + "; remove the key to use the default, "
              + setting.defaultText(),
          null);
    }
  }

  private void bindJmxTls(Mapping mapping, Position at) {
    Map<String, Path> files = new HashMap<>();
    for (Entry entry : mapping.entries()) {
      String key = "jmx.tls." + entry.key();
      if (!JMX_TLS_FIELDS.contains(entry.key())) {
        reportUnknownField(entry, "jmx.tls", JMX_TLS_FIELDS);
        continue;
      }
      keyPositions.put(key, entry.keyPosition());
      String text = scalarText(entry, key);
      if (text != null) {
        try {
          files.put(entry.key(), FILE.parse(text, entry.value().position().source()));
        } catch (Rejected r) {
          errors.add(entry.keyPosition(), key, text, r.rule, r.suggestion);
        }
      }
    }
    boolean complete = true;
    for (String field : JMX_TLS_REQUIRED) {
      if (!keyPositions.containsKey("jmx.tls." + field)) {
        errors.add(at, "jmx.tls." + field, null, "missing — jmx.tls needs both cert and key", null);
        complete = false;
      }
    }
    boolean clientCaValid =
        !keyPositions.containsKey("jmx.tls.clientCa") || files.containsKey("clientCa");
    if (complete && files.containsKey("cert") && files.containsKey("key") && clientCaValid) {
      values.put(
          Settings.JMX_TLS, new JmxTls(files.get("cert"), files.get("key"), files.get("clientCa")));
    }
  }

  private void bindJmxUsers(Sequence list) {
    List<JmxUser> users = new ArrayList<>();
    Set<String> names = new HashSet<>();
    boolean valid = true;
    for (int i = 0; i < list.items().size(); i++) {
      Node item = list.items().get(i);
      String key = "jmx.users[" + i + "]";
      keyPositions.put(key, item.position());
      if (!(item instanceof Mapping user)) {
        errors.add(
            item.position(),
            key,
            text(item),
            "expected {name, password or passwordHash, role}, found " + describe(item),
            null);
        valid = false;
        continue;
      }
      JmxUser bound = bindJmxUser(user, key);
      if (bound == null) {
        valid = false;
      } else if (!names.add(bound.name())) {
        errors.add(
            keyPositions.get(key + ".name"),
            key + ".name",
            bound.name(),
            "user " + bound.name() + " is listed twice",
            null);
        valid = false;
      } else {
        users.add(bound);
      }
    }
    if (valid) {
      values.put(Settings.JMX_USERS, List.copyOf(users));
    }
  }

  private void bindAlerts(Sequence list) {
    List<Config.AlertRule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    boolean valid = true;
    for (int i = 0; i < list.items().size(); i++) {
      Node item = list.items().get(i);
      String key = "alerts[" + i + "]";
      keyPositions.put(key, item.position());
      if (!(item instanceof Mapping rule)) {
        errors.add(
            item.position(),
            key,
            text(item),
            "expected {name, figure, above or below, for}, found " + describe(item),
            null);
        valid = false;
        continue;
      }
      Config.AlertRule bound = bindAlert(rule, key);
      if (bound == null) {
        valid = false;
      } else if (!names.add(bound.name())) {
        errors.add(
            keyPositions.get(key + ".name"),
            key + ".name",
            bound.name(),
            "rule " + bound.name() + " is listed twice",
            null);
        valid = false;
      } else {
        rules.add(bound);
      }
    }
    if (valid) {
      values.put(Settings.ALERTS, List.copyOf(rules));
    }
  }

  private Config.AlertRule bindAlert(Mapping rule, String key) {
    Map<String, String> fields = new HashMap<>();
    for (Entry entry : rule.entries()) {
      if (!ALERT_FIELDS.contains(entry.key())) {
        reportUnknownField(entry, key, ALERT_FIELDS);
        continue;
      }
      String fieldKey = key + "." + entry.key();
      keyPositions.put(fieldKey, entry.keyPosition());
      String text = scalarText(entry, fieldKey);
      if (text != null) {
        fields.put(entry.key(), text);
      }
    }
    int before = errors.size();
    Position at = keyPositions.get(key);
    String name = fields.get("name");
    if (name != null && !Kind.AlertRules.RULE_NAME.matcher(name).matches()) {
      errors.add(
          keyPositions.get(key + ".name"),
          key + ".name",
          name,
          "value "
              + Rejected.show(name)
              + " is not a rule name — 1 to 64 letters, digits, ., _ or -",
          null);
    }
    String figure = fields.get("figure");
    if (figure != null && !Config.AlertRule.FIGURES.contains(figure)) {
      // A figure cut short (eagainPerSec) is too far from its name for edit distance to find.
      String near =
          Config.AlertRule.FIGURES.stream()
              .filter(f -> f.startsWith(figure))
              .findFirst()
              .orElse(Spelling.closest(figure, Config.AlertRule.FIGURES));
      errors.add(
          keyPositions.get(key + ".figure"),
          key + ".figure",
          figure,
          "unknown figure — figures are path.<"
              + String.join("|", Config.AlertRule.PATHS)
              + ">.<"
              + String.join("|", Config.AlertRule.PATH_FIGURES)
              + ">, ring.cqOverflowsPerSecond, ring.sqFullPerSecond, ring.maxLoopIterationNanos,"
              + " jvm.heapUsedBytes, process.cpuLoad",
          near);
    }
    Double above = threshold(fields, key, "above");
    Double below = threshold(fields, key, "below");
    for (String required : List.of("name", "figure")) {
      if (!keyPositions.containsKey(key + "." + required)) {
        errors.add(at, key + "." + required, null, "missing — every alert rule needs one", null);
      }
    }
    boolean hasAbove = keyPositions.containsKey(key + ".above");
    boolean hasBelow = keyPositions.containsKey(key + ".below");
    if (hasAbove == hasBelow) {
      errors.add(
          at,
          key,
          null,
          hasAbove
              ? "has both above and below — a rule has one threshold; write two rules"
              : "missing threshold — give above: NUMBER or below: NUMBER",
          null);
    }
    Duration duration = Duration.ZERO;
    String forText = fields.get("for");
    if (forText != null) {
      try {
        duration = ALERT_FOR.parse(forText, rule.position().source());
      } catch (Rejected r) {
        errors.add(keyPositions.get(key + ".for"), key + ".for", forText, r.rule, r.suggestion);
      }
    }
    return errors.size() == before
            && name != null
            && figure != null
            && (above != null) != (below != null)
        ? new Config.AlertRule(name, figure, above, below, duration)
        : null;
  }

  /** A rule's {@code above} or {@code below}, or {@code null} when absent or wrong. */
  private Double threshold(Map<String, String> fields, String key, String field) {
    String text = fields.get(field);
    if (text == null) {
      return null;
    }
    try {
      double value = Double.parseDouble(text.replace("_", ""));
      if (Double.isFinite(value) && !text.matches(".*[A-Za-z].*")) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(
        keyPositions.get(key + "." + field),
        key + "." + field,
        text,
        "value " + Rejected.show(text) + " is not a number — write e.g. 100, 0.5 or 400000000",
        null);
    return null;
  }

  private JmxUser bindJmxUser(Mapping user, String key) {
    Map<String, String> fields = new HashMap<>();
    for (Entry entry : user.entries()) {
      if (!JMX_USER_FIELDS.contains(entry.key())) {
        reportUnknownField(entry, key, JMX_USER_FIELDS);
        continue;
      }
      String fieldKey = key + "." + entry.key();
      keyPositions.put(fieldKey, entry.keyPosition());
      String text = scalarText(entry, fieldKey);
      if (text != null) {
        fields.put(entry.key(), text);
      }
    }
    int before = errors.size();
    String name = fields.get("name");
    if (name != null && !Kind.JmxUsers.USER_NAME.matcher(name).matches()) {
      errors.add(
          keyPositions.get(key + ".name"),
          key + ".name",
          name,
          "value "
              + Rejected.show(name)
              + " is not a user name — 1 to 64 letters, digits, ., _, @ or -",
          null);
    }
    String hash = fields.get("passwordHash");
    if (hash != null && !Kind.JmxUsers.HASH.matcher(hash).matches()) {
      errors.add(
          keyPositions.get(key + ".passwordHash"),
          key + ".passwordHash",
          hash,
          "value is not a bcrypt ($2b$…) or sha-crypt ($5$…, $6$…) hash",
          null);
    }
    if (fields.containsKey("password") && fields.get("password").isEmpty()) {
      errors.add(keyPositions.get(key + ".password"), key + ".password", "", "is empty", null);
    }
    Config.JmxRole role = null;
    String roleText = fields.get("role");
    if (roleText != null) {
      try {
        role = JMX_ROLE.parse(roleText, user.position().source());
      } catch (Rejected r) {
        errors.add(keyPositions.get(key + ".role"), key + ".role", roleText, r.rule, r.suggestion);
      }
    }
    Position at = keyPositions.get(key);
    for (String required : List.of("name", "role")) {
      if (!keyPositions.containsKey(key + "." + required)) {
        errors.add(at, key + "." + required, null, "missing — every JMX user needs one", null);
      }
    }
    boolean password = keyPositions.containsKey(key + ".password");
    boolean passwordHash = keyPositions.containsKey(key + ".passwordHash");
    if (password == passwordHash) {
      errors.add(
          at,
          key,
          null,
          password
              ? "has both password and passwordHash — keep one"
              : "needs a password or a passwordHash",
          null);
    }
    return errors.size() == before
            && role != null
            && name != null
            && (fields.containsKey("password") || hash != null)
        ? new JmxUser(name, fields.get("password"), hash, role)
        : null;
  }

  private void reportUnknownField(Entry entry, String prefix, List<String> fields) {
    String near = Spelling.closest(entry.key(), fields);
    String key = prefix + "." + entry.key();
    if (near != null) {
      errors.add(entry.keyPosition(), key, entry.key(), "unknown key", prefix + "." + near);
    } else {
      errors.add(
          entry.keyPosition(),
          key,
          entry.key(),
          "unknown key — " + prefix + " holds " + String.join(", ", fields),
          null);
    }
  }

  /** The substituted text of a field that must be a scalar, or {@code null} after an error. */
  private String scalarText(Entry entry, String key) {
    if (entry.value() instanceof Scalar scalar) {
      return substitute(scalar, key, entry.keyPosition());
    }
    errors.add(
        entry.keyPosition(),
        key,
        text(entry.value()),
        "expected a single value, found " + describe(entry.value()),
        null);
    return null;
  }

  private String substitute(Scalar scalar, String key, Position at) {
    if (!scalar.position().source().isFile()) {
      return scalar.text();
    }
    try {
      return EnvSubstitution.apply(scalar.text(), environment);
    } catch (Rejected r) {
      errors.add(at, key, scalar.text(), r.rule, r.suggestion);
      return null;
    }
  }

  /** {@code rxSlots:64} is one plain scalar in YAML; the likely intent is {@code rxSlots: 64}. */
  private static String missingSpaceAfterColon(Node node) {
    if (node instanceof Scalar scalar && scalar.text().matches("[A-Za-z][A-Za-z0-9]*:[^\\s].*")) {
      return scalar.text().replaceFirst(":", ": ");
    }
    return null;
  }

  private static String describe(Node node) {
    return switch (node) {
      case Mapping m -> "a section";
      case Sequence s -> "a list";
      case Scalar s -> "the single value " + Rejected.show(s.text());
      case Null n -> "nothing";
    };
  }

  private static String text(Node node) {
    return node instanceof Scalar s ? s.text() : null;
  }

  static String join(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }
}
