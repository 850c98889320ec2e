package dev.substrate.kubefake.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.UncheckedIOException;

/** JSON and YAML mapping for one server instance. */
public final class Json {

  private final ObjectMapper json = new ObjectMapper();
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  /** Parses JSON text into a tree. */
  public JsonNode read(String text) {
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses JSON or YAML text into a tree; JSON is tried first. */
  public JsonNode readJsonOrYaml(String text) {
    String t = text.stripLeading();
    if (t.startsWith("{") || t.startsWith("[")) {
      try {
        return json.readTree(t);
      } catch (JsonProcessingException e) {
        // fall through: maybe YAML flow style
      }
    }
    try {
      return yaml.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serializes a tree or value as compact JSON. */
  public String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new empty object node. */
  public ObjectNode object() {
    return json.createObjectNode();
  }

  /** A new empty array node. */
  public ArrayNode array() {
    return json.createArrayNode();
  }

  /** Round-trips a tree through JSON text, so numbers and strings compare as stored. */
  public JsonNode normalize(JsonNode node) {
    return read(write(node));
  }
}
