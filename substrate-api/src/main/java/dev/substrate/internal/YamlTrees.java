package dev.substrate.internal;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.UnmappableCharacterException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * User YAML as Jackson tokens, refusing duplicate keys and aliases: Jackson reads {@code *name} as the string {@code "name"}, not as the
 * anchored value, so an alias would silently become its own name. Anchors alone are harmless. The factory's own
 * limits stay: SnakeYAML's 3 MB code-point limit and Jackson's {@code StreamReadConstraints} (nesting depth, string
 * length); refusing every alias also refuses an alias-expansion ("billion laughs") bomb.
 */
public final class YamlTrees {
  private static final YAMLFactory FACTORY =
      YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private YamlTrees() {}

  /** A parser over {@code text} that throws {@link AliasException} at the first alias. */
  public static JsonParser parser(String text) throws IOException {
    return new NoAliases(FACTORY.createParser(text));
  }

  /** The file's text, or an {@link IOException} whose message says it is not UTF-8 text. */
  public static String readUtf8(Path file) throws IOException {
    try {
      return Files.readString(file);
    } catch (MalformedInputException | UnmappableCharacterException e) {
      throw new NotUtf8Exception(file, e);
    }
  }

  /** A file that is not UTF-8 text; the message says so, naming the file. */
  public static final class NotUtf8Exception extends IOException {
    private static final long serialVersionUID = 1L;

    NotUtf8Exception(Path file, IOException cause) {
      super(file + " is not UTF-8 text", cause);
    }
  }

  /** A YAML alias; the message names the key that holds it and the alias, never a value. */
  public static final class AliasException extends JsonParseException {
    private static final long serialVersionUID = 1L;

    AliasException(JsonParser p, String message) {
      super(p, message);
    }
  }

  private static final class NoAliases extends JsonParserDelegate {
    NoAliases(YAMLParser delegate) {
      super(delegate);
    }

    @Override
    public JsonToken nextToken() throws IOException {
      return checked(delegate.nextToken());
    }

    @Override
    public JsonToken nextValue() throws IOException {
      return checked(delegate.nextValue());
    }

    private JsonToken checked(JsonToken token) throws IOException {
      YAMLParser yaml = (YAMLParser) delegate;
      if (token != null && yaml.isCurrentAlias()) {
        String key = key(yaml.getParsingContext());
        throw new AliasException(this, (key.isEmpty() ? "a value" : "'" + key + "'") + " is the YAML alias *"
            + yaml.getText() + ", which is not supported: write the value out instead of an anchor and alias");
      }
      return token;
    }

    /** The dotted path to the current value, e.g. {@code secrets.service_account} or {@code items[2].name}. */
    private static String key(JsonStreamContext context) {
      List<JsonStreamContext> chain = new ArrayList<>();
      for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
        chain.add(0, c);
      }
      StringBuilder path = new StringBuilder();
      for (JsonStreamContext c : chain) {
        if (c.inArray()) {
          path.append('[').append(Math.max(c.getCurrentIndex(), 0)).append(']');
        } else if (c.getCurrentName() != null) {
          path.append(path.length() == 0 ? "" : ".").append(c.getCurrentName());
        }
      }
      return path.toString();
    }
  }
}
