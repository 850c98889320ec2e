package dev.substrate.kubefake.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.kubefake.internal.store.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The opaque {@code continue} token of a paginated LIST: where the next page starts. */
final class ContinueToken {

  private ContinueToken() {
  }

  /** Encodes the key of the last item returned, shaped like the API server's own tokens. */
  static String encode(Json json, long resourceVersion, String lastKey) {
    ObjectNode t = json.object();
    t.put("v", "meta.k8s.io/v1").put("rv", resourceVersion).put("start", lastKey + "\u0000");
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.write(t).getBytes(StandardCharsets.UTF_8));
  }

  /** The key after which the next page starts; throws {@link IllegalArgumentException} if malformed. */
  static String decode(Json json, String token) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      JsonNode t = json.read(text);
      String start = t.path("start").asText(null);
      if (!"meta.k8s.io/v1".equals(t.path("v").asText()) || start == null || !start.endsWith("\u0000")) {
        throw new IllegalArgumentException("continue key is not valid");
      }
      return start.substring(0, start.length() - 1);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("continue key is not valid: " + e.getMessage(), e);
    }
  }
}
