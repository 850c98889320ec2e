package dev.substrate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/** How a command prints its data on stdout: {@code -o text|json|yaml}. */
enum OutputFormat {
  text,
  json,
  yaml;

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build());

  /** {@code tree} as JSON or YAML, ending in a newline; for {@code text} the caller formats the data itself. */
  String write(JsonNode tree) {
    try {
      switch (this) {
        case json:
          return JSON.writeValueAsString(tree) + System.lineSeparator();
        case yaml:
          return YAML.writeValueAsString(tree);
        default:
          throw new IllegalStateException("text output is formatted by each command");
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** JSON text (such as {@code Report.toJson()}) in this format. */
  String convert(String jsonText) {
    if (this == json) {
      return jsonText.endsWith(System.lineSeparator()) ? jsonText : jsonText + System.lineSeparator();
    }
    try {
      return write(JSON.readTree(jsonText));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
