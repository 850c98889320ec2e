package dev.substrate.cli;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the YAML files the CLI itself parses (secrets files, kubeconfigs) into trees, as the api reads config: a
 * duplicate key and a YAML alias are refused, since Jackson reads {@code *name} as the string {@code "name"}, not the
 * anchored value; refusing aliases also refuses an alias-expansion bomb. Every problem is one {@link CliException}
 * naming the file; a parser message that may quote the file's text is never shown.
 */
final class YamlInput {
  private static final ObjectMapper MAPPER =
      new ObjectMapper(YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private YamlInput() {}

  /** The tree of {@code file}, described as {@code what} (e.g. "secrets file") in errors; null when it is empty. */
  static JsonNode read(Path file, String what) {
    List<JsonNode> documents = parse(file, what, false);
    return documents.isEmpty() ? null : documents.get(0);
  }

  /** Every document of {@code file} ({@code ---} between them), empty ones left out. */
  static List<JsonNode> readAll(Path file, String what) {
    return parse(file, what, true);
  }

  private static List<JsonNode> parse(Path file, String what, boolean all) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new CliException(what + " " + file + " does not exist");
    } catch (CharacterCodingException e) {
      throw new CliException(what + " " + file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new CliException(what + " " + file + " could not be read: " + ClusterAccess.why(e));
    }
    try (JsonParser parser = new NoAliases((YAMLParser) MAPPER.getFactory().createParser(text))) {
      List<JsonNode> documents = new ArrayList<>();
      if (!all) {
        JsonNode tree = MAPPER.readTree(parser);
        if (tree != null) {
          documents.add(tree);
        }
        return documents;
      }
      MAPPER.readValues(parser, JsonNode.class).forEachRemaining(d -> {
        if (d != null && !d.isNull() && !d.isMissingNode()) {
          documents.add(d);
        }
      });
      return documents;
    } catch (AliasException e) {
      throw new CliException(what + " " + file + " line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr();
      throw new CliException(what + " " + file + " is not valid YAML or JSON" + where
          + (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
              ? ": a key appears twice" : ""));
    } catch (IOException e) {
      throw new CliException(what + " " + file + " could not be read: " + ClusterAccess.why(e));
    } catch (RuntimeException e) {
      // readValues' iterator wraps parse errors of a later document unchecked
      if (e.getCause() instanceof AliasException a) {
        throw new CliException(what + " " + file + " line " + a.getLocation().getLineNr() + ": " + a.getOriginalMessage());
      }
      if (e.getCause() instanceof JsonProcessingException p) {
        throw new CliException(what + " " + file + " is not valid YAML or JSON" + (p.getLocation() == null ? ""
            : " at line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr()));
      }
      throw e;
    }
  }

  private static final class AliasException extends JsonParseException {
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

    /** The dotted path to the current value, e.g. {@code users[0].user.token}. */
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
