package dev.ringway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/**
 * {@code ringway config schema}: a JSON Schema (draft-07, which the YAML language server supports)
 * of the configuration, written from {@link Settings}, so editors complete keys, show the
 * descriptions and flag wrong values while typing.
 */
public final class JsonSchema {

  /**
   * Finds a {@code ${NAME}} reference anywhere in a string (JSON Schema patterns are not anchored):
   * the schema cannot know the variable's value, so it lets such a value through.
   */
  static final String ENV_REFERENCE = "\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private JsonSchema() {}

  /** The schema, pretty-printed. */
  public static String generate() {
    ObjectNode root = JSON.objectNode();
    root.put("$schema", "http://json-schema.org/draft-07/schema#");
    root.put("$id", "https://ringway.dev/schema/ringway-config.json");
    root.put("title", "Ringway configuration");
    root.put(
        "description",
        "One schema for the Ringway server and client; see `ringway config defaults`.");
    root.put("type", "object");
    section(root, null);
    for (Setting<?> setting : Settings.ALL) {
      String[] parts = setting.key().split("\\.");
      ObjectNode parent = root;
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < parts.length - 1; i++) {
        prefix.append(i == 0 ? "" : ".").append(parts[i]);
        ObjectNode properties = (ObjectNode) parent.get("properties");
        if (!properties.has(parts[i])) {
          ObjectNode section = properties.putObject(parts[i]);
          section.putArray("type").add("object").add("null");
          section(section, Settings.SECTIONS.get(prefix.toString()));
        }
        parent = (ObjectNode) properties.get(parts[i]);
      }
      ((ObjectNode) parent.get("properties")).set(parts[parts.length - 1], leaf(setting));
    }
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void section(ObjectNode node, String description) {
    if (description != null) {
      node.put("description", description);
    }
    node.put("additionalProperties", false);
    node.putObject("properties");
  }

  private static <T> ObjectNode leaf(Setting<T> setting) {
    ObjectNode leaf = JSON.objectNode();
    String live =
        setting.isLive()
            ? " Live (JMX " + setting.jmxAttribute() + ")."
            : setting == Settings.ALERTS ? " Applied on reload." : " Needs a restart.";
    leaf.put("description", setting.description() + " Value: " + setting.expected() + "." + live);
    leaf.set("default", defaultValue(setting));
    ArrayNode anyOf = leaf.putArray("anyOf");
    anyOf.add(setting.kind.schema());
    if (setting.kind instanceof Kind.ScalarKind && !(setting.kind instanceof Kind.FilePath)) {
      anyOf.addObject().put("type", "string").put("pattern", ENV_REFERENCE);
    }
    if (setting.isNullable()) {
      anyOf.addObject().put("type", "null");
    }
    return leaf;
  }

  private static <T> JsonNode defaultValue(Setting<T> setting) {
    T value = setting.defaultValue();
    return switch (value) {
      case null -> JSON.nullNode();
      case Boolean b -> JSON.booleanNode(b);
      case Integer i when setting.kind instanceof Kind.Whole -> JSON.numberNode(i);
      default -> JSON.textNode(setting.format(value));
    };
  }
}
