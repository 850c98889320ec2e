package dev.substrate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/**
 * How a command prints its data on stdout: {@code -o text|json|yaml}. Picocli loads and initialises this enum for
 * every run ({@code --help} too), so Jackson is touched only in {@link Mappers}, which is loaded on first use.
 */
enum OutputFormat {
  text,
  json,
  yaml;

  /** {@code tree} as JSON or YAML, ending in a newline; for {@code text} the caller formats the data itself. */
  String write(JsonNode tree) {
    if (this == text) {
      throw new IllegalStateException("text output is formatted by each command");
    }
    return Mappers.write(this == json ? Mappers.JSON : Mappers.YAML, tree);
  }

  /** JSON text (such as {@code Report.toJson()}) in this format. */
  String convert(String jsonText) {
    if (this == json) {
      return jsonText.endsWith(System.lineSeparator()) ? jsonText : jsonText + System.lineSeparator();
    }
    return write(Mappers.read(jsonText));
  }

  private static final class Mappers {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .build());

    static String write(ObjectMapper mapper, JsonNode tree) {
      try {
        String written = mapper.writeValueAsString(tree);
        return mapper == JSON ? written + System.lineSeparator() : written;
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    static JsonNode read(String jsonText) {
      try {
        return JSON.readTree(jsonText);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
