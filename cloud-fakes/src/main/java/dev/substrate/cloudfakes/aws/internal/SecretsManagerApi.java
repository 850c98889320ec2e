package dev.substrate.cloudfakes.aws.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.cloudfakes.FakeHttpServer;
import dev.substrate.cloudfakes.aws.internal.SecretsManagerState.Secret;
import dev.substrate.cloudfakes.aws.internal.SecretsManagerState.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Secrets Manager's JSON 1.1 protocol: {@code POST /} with {@code X-Amz-Target: secretsmanager.<Operation>}, shapes
 * and errors after botocore's {@code secretsmanager/2017-10-17/service-2.json} and
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html (client errors are HTTP 400 with a
 * {@code __type}). Timestamps are epoch seconds. No message quotes a secret value.
 */
public final class SecretsManagerApi implements FakeHttpServer.Handler, FakeHttpServer.FailureAnswers {
  /** Decides whether an access key may call: null to let it, else the error. */
  @FunctionalInterface
  public interface KeyCheck {
    AwsJsonError check(String accessKeyId, String securityToken);
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TARGET_PREFIX = "secretsmanager.";
  /** SecretString and SecretBinary are at most 65,536 bytes. */
  public static final int MAX_VALUE_BYTES = 65536;

  private final SecretsManagerState state;
  private final String region;
  private final Supplier<KeyCheck> keys;

  public SecretsManagerApi(SecretsManagerState state, String region, Supplier<KeyCheck> keys) {
    this.state = state;
    this.region = region;
    this.keys = keys;
  }

  @Override
  public FakeHttpServer.Answer failure(int httpStatus) {
    return AwsJsonError.injected(httpStatus).answer();
  }

  @Override
  public FakeHttpServer.Answer handle(FakeHttpServer.Call call) {
    try {
      return AwsJsonError.answer(200, dispatch(call).toString());
    } catch (AwsJsonError e) {
      return e.answer();
    }
  }

  private JsonNode dispatch(FakeHttpServer.Call call) {
    SigV4Header.Problem problem = SigV4Header.check(call.header("Authorization"), call.header("X-Amz-Date"),
        "secretsmanager", region);
    if (problem != null) {
      throw new AwsJsonError(problem.status(), problem.code(), problem.message());
    }
    AwsJsonError refused = keys.get().check(SigV4Header.parse(call.header("Authorization")).accessKeyId(),
        call.header("X-Amz-Security-Token"));
    if (refused != null) {
      throw refused;
    }
    String target = call.header("X-Amz-Target");
    if (!call.method().equals("POST") || !call.path().equals("/") || target == null
        || !target.startsWith(TARGET_PREFIX)) {
      throw new AwsJsonError(400, "UnknownOperationException", "Operation not found: " + call.method() + " "
          + call.path() + " with X-Amz-Target " + target);
    }
    String contentType = String.valueOf(call.header("Content-Type")).toLowerCase(Locale.ROOT);
    if (!contentType.startsWith(AwsJsonError.CONTENT_TYPE)) {
      throw new AwsJsonError(400, "SerializationException", "Content-Type must be " + AwsJsonError.CONTENT_TYPE);
    }
    JsonNode in;
    try {
      in = call.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(call.body());
    } catch (IOException e) {
      throw new AwsJsonError(400, "SerializationException", "The request body is not JSON.");
    }
    if (!in.isObject()) {
      throw new AwsJsonError(400, "SerializationException", "The request body is not a JSON object.");
    }
    String op = target.substring(TARGET_PREFIX.length());
    synchronized (state) {
      return switch (op) {
        case "CreateSecret" -> create(in);
        case "PutSecretValue" -> put(in);
        case "GetSecretValue" -> get(in);
        case "DescribeSecret" -> describe(in);
        case "ListSecrets" -> list(in);
        case "DeleteSecret" -> delete(in);
        default -> throw new AwsJsonError(400, "UnknownOperationException", "Operation " + op
            + " is not served by the fake Secrets Manager.");
      };
    }
  }

  private JsonNode create(JsonNode in) {
    String name = text(in, "Name");
    if (name == null || !name.matches("[A-Za-z0-9/_+=.@-]{1,512}")) {
      throw invalidParameter("Invalid name. Must be a valid name containing alphanumeric characters, or any of the "
          + "following: -/_+=.@!");
    }
    Optional<Secret> existing = state.find(name);
    if (existing.isPresent()) {
      if (existing.get().deletionDate != null) {
        throw new AwsJsonError(400, "InvalidRequestException", "You can't create this secret because a secret with "
            + "this name is already scheduled for deletion.");
      }
      throw new AwsJsonError(400, "ResourceExistsException", "The operation failed because the secret " + name
          + " already exists.");
    }
    Value value = value(in, false);
    String token = versionToken(in);
    Secret s = state.create(name, text(in, "Description"));
    ObjectNode out = JSON.createObjectNode();
    out.put("ARN", s.arn);
    out.put("Name", s.name);
    if (value != null) {
      out.put("VersionId", state.addVersion(s, token, value.string, value.binary, null).id());
    }
    return out;
  }

  private JsonNode put(JsonNode in) {
    Secret s = live(in);
    Value value = value(in, true);
    List<String> stages = null;
    if (in.hasNonNull("VersionStages")) {
      stages = new ArrayList<>();
      for (JsonNode n : in.get("VersionStages")) {
        stages.add(n.asText());
      }
    }
    String token = versionToken(in);
    Version v = token == null ? null : s.versions.get(token);
    if (v != null) {
      if (!SecretsManagerState.sameValue(v, value.string, value.binary)) {
        throw new AwsJsonError(400, "ResourceExistsException", "You can't modify an existing version, you can "
            + "only create a new version (version " + token + " holds another value).");
      }
    } else {
      v = state.addVersion(s, token, value.string, value.binary, stages);
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("ARN", s.arn);
    out.put("Name", s.name);
    out.put("VersionId", v.id());
    stages(out.putArray("VersionStages"), v.stages());
    return out;
  }

  private JsonNode get(JsonNode in) {
    Secret s = live(in);
    String versionId = text(in, "VersionId");
    String stage = text(in, "VersionStage");
    Optional<Version> version;
    if (versionId != null) {
      version = Optional.ofNullable(s.versions.get(versionId))
          .filter(v -> stage == null || v.stages().contains(stage));
    } else {
      version = s.byStage(stage == null ? SecretsManagerState.CURRENT : stage);
    }
    if (version.isEmpty()) {
      throw new AwsJsonError(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret "
          + "value for " + (versionId != null ? "VersionId: " + versionId : "staging label: "
          + (stage == null ? SecretsManagerState.CURRENT : stage)));
    }
    Version v = version.get();
    s.lastAccessed = state.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    ObjectNode out = JSON.createObjectNode();
    out.put("ARN", s.arn);
    out.put("Name", s.name);
    out.put("VersionId", v.id());
    if (v.string() != null) {
      out.put("SecretString", v.string());
    } else {
      out.put("SecretBinary", Base64.getEncoder().encodeToString(v.binary()));
    }
    stages(out.putArray("VersionStages"), v.stages());
    out.put("CreatedDate", epoch(v.created()));
    return out;
  }

  private JsonNode describe(JsonNode in) {
    Secret s = existing(in);
    return summary(s, true);
  }

  private JsonNode list(JsonNode in) {
    int max = in.hasNonNull("MaxResults") ? in.get("MaxResults").asInt() : 100;
    if (max < 1 || max > 100) {
      throw invalidParameter("MaxResults must be between 1 and 100: " + max);
    }
    boolean includeDeleted = in.path("IncludePlannedDeletion").asBoolean(false);
    List<Secret> all = state.secrets().values().stream()
        .filter(s -> includeDeleted || s.deletionDate == null).toList();
    int from = 0;
    String next = text(in, "NextToken");
    if (next != null) {
      try {
        from = Integer.parseInt(new String(Base64.getUrlDecoder().decode(next), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        from = -1;
      }
      if (from < 0 || from > all.size()) {
        throw new AwsJsonError(400, "InvalidNextTokenException", "The NextToken value is invalid.");
      }
    }
    int to = Math.min(all.size(), from + max);
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("SecretList");
    all.subList(from, to).forEach(s -> list.add(summary(s, false)));
    if (to < all.size()) {
      out.put("NextToken", Base64.getUrlEncoder().withoutPadding()
          .encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  private JsonNode delete(JsonNode in) {
    Secret s = existing(in);
    boolean force = in.path("ForceDeleteWithoutRecovery").asBoolean(false);
    boolean hasWindow = in.hasNonNull("RecoveryWindowInDays");
    if (force && hasWindow) {
      throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    }
    long days = hasWindow ? in.get("RecoveryWindowInDays").asLong() : 30;
    if (days < 7 || days > 30) {
      throw invalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
    }
    if (s.deletionDate != null && !force) {
      throw new AwsJsonError(400, "InvalidRequestException", "You can't perform this operation on the secret "
          + "because it was already scheduled for deletion.");
    }
    Instant when = state.delete(s, force ? null : Duration.ofDays(days));
    ObjectNode out = JSON.createObjectNode();
    out.put("ARN", s.arn);
    out.put("Name", s.name);
    out.put("DeletionDate", epoch(when));
    return out;
  }

  private ObjectNode summary(Secret s, boolean describe) {
    ObjectNode out = JSON.createObjectNode();
    out.put("ARN", s.arn);
    out.put("Name", s.name);
    if (s.description != null) {
      out.put("Description", s.description);
    }
    out.put("CreatedDate", epoch(s.created));
    out.put("LastChangedDate", epoch(s.lastChanged));
    if (s.lastAccessed != null) {
      out.put("LastAccessedDate", epoch(s.lastAccessed));
    }
    if (s.deletedDate != null) {
      out.put("DeletedDate", epoch(s.deletedDate));
    }
    ObjectNode stages = out.putObject(describe ? "VersionIdsToStages" : "SecretVersionsToStages");
    s.versions.values().stream().filter(v -> !v.stages().isEmpty())
        .forEach(v -> stages(stages.putArray(v.id()), v.stages()));
    return out;
  }

  private record Value(String string, byte[] binary) {}

  private static Value value(JsonNode in, boolean required) {
    String string = text(in, "SecretString");
    String binary = text(in, "SecretBinary");
    if (string != null && binary != null) {
      throw invalidParameter("You can't specify both a binary secret value and a string secret value in the same "
          + "secret.");
    }
    if (string == null && binary == null) {
      if (required) {
        throw invalidParameter("You must provide either SecretString or SecretBinary.");
      }
      return null;
    }
    byte[] bytes;
    if (binary != null) {
      try {
        bytes = Base64.getDecoder().decode(binary);
      } catch (IllegalArgumentException e) {
        throw new AwsJsonError(400, "SerializationException", "SecretBinary is not base64.");
      }
    } else {
      bytes = string.getBytes(StandardCharsets.UTF_8);
    }
    if (bytes.length > MAX_VALUE_BYTES) {
      throw invalidParameter("The secret value is " + bytes.length + " bytes; at most " + MAX_VALUE_BYTES
          + " are allowed.");
    }
    return binary != null ? new Value(null, bytes) : new Value(string, null);
  }

  private static String versionToken(JsonNode in) {
    String token = text(in, "ClientRequestToken");
    if (token != null && (token.length() < 32 || token.length() > 64)) {
      throw invalidParameter("ClientRequestToken must be 32 to 64 characters long.");
    }
    return token;
  }

  /** The secret {@code SecretId} names, scheduled for deletion or not. */
  private Secret existing(JsonNode in) {
    String id = text(in, "SecretId");
    if (id == null) {
      throw invalidParameter("SecretId is required.");
    }
    return state.find(id).orElseThrow(() -> new AwsJsonError(400, "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret."));
  }

  /** The secret {@code SecretId} names, refused while it is scheduled for deletion as AWS refuses it. */
  private Secret live(JsonNode in) {
    Secret s = existing(in);
    if (s.deletionDate != null) {
      throw new AwsJsonError(400, "InvalidRequestException", "You can't perform this operation on the secret "
          + "because it was marked for deletion.");
    }
    return s;
  }

  private static String text(JsonNode in, String field) {
    JsonNode n = in.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static void stages(ArrayNode out, List<String> stages) {
    stages.forEach(out::add);
  }

  private static double epoch(Instant t) {
    return t.toEpochMilli() / 1000.0;
  }

  private static AwsJsonError invalidParameter(String message) {
    return new AwsJsonError(400, "InvalidParameterException", message);
  }
}
