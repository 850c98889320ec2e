package dev.substrate.kubefake.internal.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.kubefake.internal.http.ApiPath;
import dev.substrate.kubefake.internal.http.Statuses;
import dev.substrate.kubefake.internal.store.Json;
import dev.substrate.kubefake.internal.store.ObjectStore;
import dev.substrate.kubefake.internal.store.ResourceType;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code serviceaccounts/token} subresource: a TokenRequest ({@code authentication.k8s.io/v1}) answered with a
 * token from the cluster's {@link ServiceAccountIssuer}, validated as kube-apiserver validates it.
 */
public final class TokenRequests {
  /** The API server's default and minimum token lifetimes, and the largest it accepts (2^32 s). */
  static final long DEFAULT_SECONDS = 3600;
  static final long MIN_SECONDS = 600;
  static final long MAX_SECONDS = 1L << 32;

  private static final String GROUP = "authentication.k8s.io";
  private static final String KIND = "TokenRequest";

  private final Json json;
  private final ObjectStore store;
  private final Statuses statuses;
  private final ServiceAccountIssuer issuer;

  public TokenRequests(Json json, ObjectStore store, Statuses statuses, ServiceAccountIssuer issuer) {
    this.json = json;
    this.store = store;
    this.statuses = statuses;
    this.issuer = issuer;
  }

  /** Answers {@code POST .../serviceaccounts/NAME/token}; the service account must exist. */
  public Answer create(RecordedRequest request, ApiPath p, ResourceType serviceAccounts) {
    ObjectStore.Stored account = store.get("", "serviceaccounts", p.namespace(), p.name());
    if (account == null) {
      return new Answer(404, statuses.notFound(serviceAccounts, p));
    }
    JsonNode body;
    try {
      body = readBody(request);
    } catch (IllegalArgumentException e) {
      return new Answer(400, statuses.failure(400, "BadRequest", e.getMessage(), null, null, null));
    }
    if (!(body instanceof ObjectNode)) {
      return new Answer(400, statuses.failure(400, "BadRequest", "the body of the request could not be decoded",
          null, null, null));
    }
    String kind = body.path("kind").asText("");
    if (!kind.isEmpty() && !kind.equals(KIND)) {
      return new Answer(400, statuses.failure(400, "BadRequest", "the body of the request was a " + kind
          + ", not a TokenRequest", p.name(), GROUP, KIND));
    }
    JsonNode spec = body.path("spec");
    long seconds = spec.path("expirationSeconds").isNumber() ? spec.path("expirationSeconds").asLong()
        : DEFAULT_SECONDS;
    if (seconds < MIN_SECONDS) {
      return invalid(p, "spec.expirationSeconds: Invalid value: " + seconds
          + ": may not specify a duration less than 10 minutes");
    }
    if (seconds > MAX_SECONDS) {
      return invalid(p, "spec.expirationSeconds: Invalid value: " + seconds
          + ": may not specify a duration larger than 2^32 seconds");
    }
    List<String> audiences = new ArrayList<>();
    spec.path("audiences").forEach(a -> audiences.add(a.asText()));
    if (audiences.isEmpty()) {
      // the API server's --api-audiences, which default to the issuer
      audiences.add(issuer.issuer());
    }
    ServiceAccountIssuer.Binding binding = null;
    JsonNode ref = spec.path("boundObjectRef");
    if (ref.isObject() && !ref.path("kind").asText("").isEmpty()) {
      String refKind = ref.path("kind").asText();
      String plural = switch (refKind) {
        case "Pod" -> "pods";
        case "Secret" -> "secrets";
        case "Node" -> "nodes";
        default -> null;
      };
      if (plural == null) {
        return new Answer(400, statuses.failure(400, "BadRequest", "cannot bind token for serviceaccount \""
            + p.name() + "\" to object of kind " + refKind, p.name(), GROUP, KIND));
      }
      String refName = ref.path("name").asText("");
      ObjectStore.Stored bound = store.get("", plural, plural.equals("nodes") ? null : p.namespace(), refName);
      if (bound == null) {
        return new Answer(404, statuses.failure(404, "NotFound", plural + " \"" + refName + "\" not found", refName,
            null, plural));
      }
      String uid = json.read(bound.json()).path("metadata").path("uid").asText("");
      String wanted = ref.path("uid").asText("");
      if (!wanted.isEmpty() && !wanted.equals(uid)) {
        return new Answer(409, statuses.failure(409, "Conflict", "the UID in the bound object reference (" + wanted
            + ") does not match the UID in record. The object might have been deleted and then recreated", refName,
            null, plural));
      }
      binding = new ServiceAccountIssuer.Binding(refKind.toLowerCase(Locale.ROOT), refName, uid);
    }
    String uid = json.read(account.json()).path("metadata").path("uid").asText(null);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String token = issuer.mint(p.namespace(), p.name(), uid, audiences, now, Duration.ofSeconds(seconds), binding);

    ObjectNode answer = json.object();
    answer.put("kind", KIND).put("apiVersion", GROUP + "/v1");
    ObjectNode meta = answer.putObject("metadata");
    meta.put("name", p.name()).put("namespace", p.namespace());
    meta.putNull("creationTimestamp");
    ObjectNode outSpec = answer.putObject("spec");
    ArrayNode aud = outSpec.putArray("audiences");
    audiences.forEach(aud::add);
    outSpec.put("expirationSeconds", seconds);
    if (ref.isObject() && binding != null) {
      outSpec.set("boundObjectRef", ref);
    } else {
      outSpec.putNull("boundObjectRef");
    }
    ObjectNode status = answer.putObject("status");
    status.put("token", token);
    status.put("expirationTimestamp", now.plusSeconds(seconds).toString());
    return new Answer(201, json.write(answer));
  }

  private Answer invalid(ApiPath p, String cause) {
    return new Answer(422, statuses.failure(422, "Invalid", KIND + "." + GROUP + " \"" + p.name() + "\" is invalid: "
        + cause, p.name(), GROUP, KIND));
  }

  private JsonNode readBody(RecordedRequest request) {
    byte[] bytes = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
    String contentType = request.getHeader("Content-Type");
    if (contentType != null && contentType.contains("protobuf")) {
      return TokenRequestProtobuf.decode(json, bytes);
    }
    if (bytes.length == 0) {
      return json.object();
    }
    try {
      return json.readJsonOrYaml(new String(bytes, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the body of the request could not be decoded");
    }
  }

  /** A status code and a JSON body. */
  public record Answer(int code, String body) {}
}
