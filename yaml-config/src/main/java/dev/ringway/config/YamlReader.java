package dev.ringway.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.ringway.config.Yaml.Entry;
import dev.ringway.config.Yaml.Mapping;
import dev.ringway.config.Yaml.Node;
import dev.ringway.config.Yaml.Null;
import dev.ringway.config.Yaml.Position;
import dev.ringway.config.Yaml.Scalar;
import dev.ringway.config.Yaml.Sequence;
import dev.ringway.config.Yaml.Source;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads YAML text into a {@link Yaml} tree with Jackson's streaming YAML parser, which gives the
 * line and column of every token. Tabs, syntax errors, duplicate keys, aliases and extra documents
 * are reported here with their position.
 */
final class YamlReader {

  private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

  /** The mark lines in SnakeYAML's messages: {@code in 'reader', line 2, column 3:}. */
  private static final Pattern MARK = Pattern.compile("^ in '.*', line (\\d+), column (\\d+):$");

  private final Source source;
  private final ErrorList errors;

  private YamlReader(Source source, ErrorList errors) {
    this.source = source;
    this.errors = errors;
  }

  /**
   * The document's tree, a {@link Null} for an empty document, or {@code null} when the text is not
   * usable YAML (the reason is in {@code errors}).
   */
  static Node read(String text, Source source, ErrorList errors) {
    return new YamlReader(source, errors).read(text);
  }

  private Node read(String text) {
    return reportTabs(text) ? null : parse(text);
  }

  private Node parse(String text) {
    try (YAMLParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new Null(position(1, 1));
      }
      Node root = readNode(parser, first, "");
      if (parser.nextToken() != null) {
        errors.add(
            position(parser.currentTokenLocation()),
            "",
            null,
            "a second YAML document — a configuration is one document; remove the `---` and what"
                + " follows",
            null);
        return null;
      }
      return root;
    } catch (JacksonException e) {
      reportSyntaxError(e);
      return null;
    } catch (IOException e) {
      errors.add(position(1, 1), "", null, "cannot read the YAML: " + e.getMessage(), null);
      return null;
    }
  }

  private Node readNode(YAMLParser parser, JsonToken token, String key) throws IOException {
    Position at = position(parser.currentTokenLocation());
    return switch (token) {
      case START_OBJECT -> readMapping(parser, at, key);
      case START_ARRAY -> readSequence(parser, at, key);
      case VALUE_NULL -> new Null(at);
      default -> new Scalar(at, parser.getText());
    };
  }

  private Mapping readMapping(YAMLParser parser, Position at, String prefix) throws IOException {
    List<Entry> entries = new ArrayList<>();
    Map<String, Position> seen = new HashMap<>();
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      Position keyAt = position(parser.currentTokenLocation());
      String key = prefix.isEmpty() ? name : prefix + "." + name;
      JsonToken valueToken = parser.nextToken();
      boolean alias = parser.isCurrentAlias();
      Node value = readNode(parser, valueToken, key);
      Position first = seen.putIfAbsent(name, keyAt);
      if (first != null) {
        errors.add(
            keyAt,
            key,
            null,
            "duplicate key — first set at line " + first.line() + ", column " + first.column(),
            null);
      } else if (alias) {
        reportAlias(value, key);
      } else {
        entries.add(new Entry(name, keyAt, value));
      }
    }
    expect(token, JsonToken.END_OBJECT);
    return new Mapping(at, List.copyOf(entries));
  }

  private Sequence readSequence(YAMLParser parser, Position at, String prefix) throws IOException {
    List<Node> items = new ArrayList<>();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
      String key = prefix + "[" + items.size() + "]";
      boolean alias = parser.isCurrentAlias();
      Node item = readNode(parser, token, key);
      if (alias) {
        reportAlias(item, key);
      }
      items.add(item);
    }
    expect(token, JsonToken.END_ARRAY);
    return new Sequence(at, List.copyOf(items));
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("the YAML ended inside a " + expected.asString());
    }
  }

  private void reportAlias(Node alias, String key) {
    String name = alias instanceof Scalar s ? s.text() : "";
    errors.add(
        alias.position(),
        key,
        "*" + name,
        "YAML aliases (*" + name + ") are not supported — write the value out",
        null);
  }

  /** YAML forbids tabs in indentation; finding every one is kinder than stopping at the first. */
  private boolean reportTabs(String text) {
    String[] lines = text.split("\r?\n", -1);
    Map<Integer, Integer> tabColumnByLine = new TreeMap<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int content = 0;
      while (content < line.length()
          && (line.charAt(content) == ' ' || line.charAt(content) == '\t')) {
        content++;
      }
      int tab = line.indexOf('\t');
      if (tab >= 0 && tab < content && content < line.length() && line.charAt(content) != '#') {
        tabColumnByLine.put(i + 1, tab + 1);
      }
    }
    Map<Integer, String> keys = keysOnLines(text, tabColumnByLine.keySet());
    tabColumnByLine.forEach((line, column) ->
        errors.add(
            position(line, column),
            keys.getOrDefault(line, ""),
            null,
            "tab character in indentation — YAML indents with spaces only",
            null));
    return !tabColumnByLine.isEmpty();
  }

  /**
   * Names the keys written on {@code lines} by reading the text with its tabs expanded, trying the
   * tab widths editors commonly show until one reading puts every such line on a known key.
   */
  private Map<Integer, String> keysOnLines(String text, Set<Integer> lines) {
    for (int width : new int[] {4, 8, 2}) {
      Node root = new YamlReader(source, new ErrorList()).parse(expandTabs(text, width));
      Map<Integer, String> keys = new HashMap<>();
      if (root != null) {
        collectKeys(root, "", keys);
      }
      keys.keySet().retainAll(lines);
      if (keys.size() == lines.size() && keys.values().stream().allMatch(YamlReader::isKnown)) {
        return keys;
      }
    }
    return Map.of();
  }

  private static boolean isKnown(String key) {
    return Settings.byKey(key) != null || Settings.isSection(key) || key.startsWith("jmx.");
  }

  private static void collectKeys(Node node, String prefix, Map<Integer, String> keys) {
    switch (node) {
      case Mapping mapping -> {
        for (Entry entry : mapping.entries()) {
          String key = prefix.isEmpty() ? entry.key() : prefix + "." + entry.key();
          keys.putIfAbsent(entry.keyPosition().line(), key);
          collectKeys(entry.value(), key, keys);
        }
      }
      case Sequence sequence -> {
        for (int i = 0; i < sequence.items().size(); i++) {
          collectKeys(sequence.items().get(i), prefix + "[" + i + "]", keys);
        }
      }
      default -> {}
    }
  }

  private static String expandTabs(String text, int width) {
    StringBuilder out = new StringBuilder(text.length());
    int column = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\t') {
        int spaces = width - column % width;
        out.append(" ".repeat(spaces));
        column += spaces;
      } else {
        out.append(c);
        column = c == '\n' ? 0 : column + 1;
      }
    }
    return out.toString();
  }

  /**
   * SnakeYAML's message is a "context" (while parsing…) and a "problem" (expected…), each followed
   * by a mark line and a snippet; the problem and its mark are what the user needs.
   */
  private void reportSyntaxError(JacksonException e) {
    record Described(String text, int line, int column) {}
    List<Described> parts = new ArrayList<>();
    String text = null;
    for (String line : e.getOriginalMessage().split("\n")) {
      Matcher mark = MARK.matcher(line);
      if (mark.matches()) {
        if (text != null) {
          parts.add(
              new Described(
                  text, Integer.parseInt(mark.group(1)), Integer.parseInt(mark.group(2))));
        }
        text = null;
      } else if (!line.isBlank() && !line.startsWith(" ")) {
        text = text == null ? line : text + " " + line;
      }
    }
    if (parts.isEmpty()) {
      String first =
          e.getOriginalMessage().startsWith("Expected a field name")
              ? "a key must be a single name, not a list or a section"
              : e.getOriginalMessage().lines().findFirst().orElse("unreadable YAML");
      errors.add(position(e.getLocation()), "", null, "YAML syntax error: " + first, null);
      return;
    }
    Described problem = parts.getLast();
    String rule =
        "YAML syntax error: "
            + (problem.text().startsWith("Expected a field name")
                ? "a key must be a single name, not a list or a section"
                : problem.text());
    if (parts.size() > 1) {
      Described context = parts.getFirst();
      rule +=
          " ("
              + context.text()
              + " that starts at line "
              + context.line()
              + ", column "
              + context.column()
              + ")";
    }
    errors.add(position(problem.line(), problem.column()), "", null, rule, null);
  }

  private Position position(JsonLocation location) {
    return location == null
        ? position(1, 1)
        : position(location.getLineNr(), location.getColumnNr());
  }

  private Position position(int line, int column) {
    return source.isFile() ? new Position(source, line, column) : new Position(source, 0, 0);
  }
}
