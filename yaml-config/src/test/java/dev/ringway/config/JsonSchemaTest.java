package dev.ringway.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JsonSchemaTest {

  private static JsonNode schema;

  @BeforeAll
  static void generate() throws Exception {
    schema = new ObjectMapper().readTree(JsonSchema.generate());
  }

  private static JsonNode leaf(Setting<?> setting) {
    JsonNode node = schema;
    for (String part : setting.key().split("\\.")) {
      node = node.path("properties").path(part);
    }
    return node;
  }

  @Test
  void isADraft07SchemaThatRejectsUnknownKeysAtEveryLevel() {
    assertThat(schema.path("$schema").asText())
        .isEqualTo("http://json-schema.org/draft-07/schema#");
    List<String> open = new ArrayList<>();
    collectOpenObjects(schema, "", open);
    assertThat(open).isEmpty();
    assertThat(schema.path("properties").path("io").path("additionalProperties").asBoolean(true))
        .isFalse();
  }

  private static void collectOpenObjects(JsonNode node, String path, List<String> open) {
    if (node.has("properties") && !node.path("additionalProperties").isBoolean()) {
      open.add(path);
    }
    node.path("properties")
        .properties()
        .forEach(e -> collectOpenObjects(e.getValue(), path + "." + e.getKey(), open));
  }

  @Test
  void everySettingHasADescriptionAndItsDefault() {
    for (Setting<?> setting : Settings.ALL) {
      JsonNode leaf = leaf(setting);
      assertThat(leaf.path("description").asText()).as(setting.key()).isNotBlank();
      assertThat(leaf.has("default")).as(setting.key()).isTrue();
      String defaultText = leaf.path("default").isNull() ? "null" : leaf.path("default").asText();
      assertThat(defaultText).as(setting.key()).isEqualTo(setting.defaultText());
    }
  }

  @Test
  void everyDefaultSatisfiesTheSchemaThatDescribesIt() {
    for (Setting<?> setting : Settings.ALL) {
      JsonNode leaf = leaf(setting);
      JsonNode value = leaf.path("default");
      boolean matched = false;
      for (JsonNode alternative : leaf.path("anyOf")) {
        matched |= accepts(alternative, value);
      }
      assertThat(matched).as(setting.key() + " default " + value).isTrue();
    }
  }

  /** The subset of JSON Schema the generated leaves use. */
  private static boolean accepts(JsonNode schema, JsonNode value) {
    if (schema.has("anyOf")) {
      for (JsonNode alternative : schema.path("anyOf")) {
        if (accepts(alternative, value)) {
          return true;
        }
      }
      return false;
    }
    String type = schema.path("type").asText();
    boolean typeOk =
        switch (type) {
          case "integer" -> value.isInt();
          case "boolean" -> value.isBoolean();
          case "string" -> value.isTextual();
          case "null" -> value.isNull();
          default -> false;
        };
    if (!typeOk) {
      return false;
    }
    if (schema.has("pattern")
        && !Pattern.compile(schema.path("pattern").asText()).matcher(value.asText()).find()) {
      return false;
    }
    if (schema.has("minimum") && value.asLong() < schema.path("minimum").asLong()) {
      return false;
    }
    if (schema.has("maximum") && value.asLong() > schema.path("maximum").asLong()) {
      return false;
    }
    if (schema.has("enum")) {
      boolean listed = false;
      for (JsonNode allowed : schema.path("enum")) {
        listed |= allowed.equals(value);
      }
      return listed;
    }
    return true;
  }

  @Test
  void durationsAndSizesHavePatternsAndChoicesHaveEnums() {
    assertThat(leaf(Settings.RING_SQPOLL_IDLE).toString()).contains("(ms|s|m|h|d)");
    assertThat(leaf(Settings.UDP_SOCKET_BUFFER).toString()).contains("(B|KiB|MiB|GiB)");
    assertThat(leaf(Settings.MODE).path("anyOf").get(0).path("enum").toString())
        .isEqualTo("[\"udp\",\"tcp\"]");
    assertThat(leaf(Settings.TUN_RX_SLOTS).path("anyOf").get(0).path("maximum").asInt())
        .isEqualTo(4096);
  }

  @Test
  void environmentReferencesAreAcceptedWhereATypedValueIsExpected() {
    JsonNode reference = new ObjectMapper().getNodeFactory().textNode("${RINGWAY_SLOTS:-64}");
    assertThat(accepts(leaf(Settings.TUN_RX_SLOTS), reference)).isTrue();
    assertThat(
            accepts(
                leaf(Settings.BIND),
                new ObjectMapper().getNodeFactory().textNode("0.0.0.0:${PORT}")))
        .isTrue();
    assertThat(
            accepts(
                leaf(Settings.TUN_RX_SLOTS), new ObjectMapper().getNodeFactory().textNode("lots")))
        .isFalse();
  }

  @Test
  void jmxUsersAreObjectsWithExactlyOnePasswordForm() {
    JsonNode users = leaf(Settings.JMX_USERS).path("anyOf").get(0);
    assertThat(users.path("type").asText()).isEqualTo("array");
    assertThat(users.path("items").path("additionalProperties").asBoolean(true)).isFalse();
    assertThat(users.path("items").path("oneOf")).hasSize(2);
  }
}
