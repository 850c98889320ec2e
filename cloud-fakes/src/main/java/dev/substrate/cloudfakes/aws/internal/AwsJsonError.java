package dev.substrate.cloudfakes.aws.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.cloudfakes.FakeHttpServer;
import java.util.UUID;

/** An AWS JSON 1.1 error: {@code {"__type":"ResourceNotFoundException","message":"..."}} and its HTTP status. */
public final class AwsJsonError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String CONTENT_TYPE = "application/x-amz-json-1.1";

  private final int status;
  private final String type;

  public AwsJsonError(int status, String type, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public FakeHttpServer.Answer answer() {
    ObjectNode body = JSON.createObjectNode();
    body.put("__type", type);
    body.put("message", getMessage());
    return answer(status, body.toString());
  }

  public static FakeHttpServer.Answer answer(int status, String body) {
    return new FakeHttpServer.Answer(status, CONTENT_TYPE, body, java.util.Map.of())
        .withHeader("x-amzn-RequestId", UUID.randomUUID().toString());
  }

  /** How an injected failure reads, as Secrets Manager's common errors name them. */
  public static AwsJsonError injected(int status) {
    String type = status == 429 ? "ThrottlingException"
        : status == 503 ? "ServiceUnavailable"
        : status >= 500 ? "InternalServiceError"
        : status == 403 ? "AccessDeniedException"
        : status == 404 ? "ResourceNotFoundException"
        : "InvalidRequestException";
    return new AwsJsonError(status, type, "injected failure (HTTP " + status + ")");
  }
}
