package dev.substrate.cloudfakes.google.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error as Google APIs answer it over REST: an HTTP status and
 * {@code {"error":{"code":404,"message":"...","status":"NOT_FOUND"}}}.
 */
public final class GoogleError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final String status;

  public GoogleError(int httpStatus, String status, String message) {
    super(message, null, false, false);
    this.httpStatus = httpStatus;
    this.status = status;
  }

  /** The canonical error for {@code httpStatus}, with a message like the service's own. */
  public static GoogleError of(int httpStatus) {
    return new GoogleError(httpStatus, statusName(httpStatus), defaultMessage(httpStatus));
  }

  public static GoogleError invalid(String message) {
    return new GoogleError(400, "INVALID_ARGUMENT", message);
  }

  public static GoogleError failedPrecondition(String message) {
    return new GoogleError(400, "FAILED_PRECONDITION", message);
  }

  public static GoogleError notFound(String message) {
    return new GoogleError(404, "NOT_FOUND", message);
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String status() {
    return status;
  }

  /** The response body. */
  public String body(ObjectMapper json) {
    ObjectNode root = json.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("code", httpStatus);
    error.put("message", getMessage());
    error.put("status", status);
    return root.toString();
  }

  /** The google.rpc.Code name that Google's REST APIs pair with {@code httpStatus}. */
  public static String statusName(int httpStatus) {
    switch (httpStatus) {
      case 400:
        return "INVALID_ARGUMENT";
      case 401:
        return "UNAUTHENTICATED";
      case 403:
        return "PERMISSION_DENIED";
      case 404:
        return "NOT_FOUND";
      case 409:
        return "ALREADY_EXISTS";
      case 412:
        return "FAILED_PRECONDITION";
      case 429:
        return "RESOURCE_EXHAUSTED";
      case 499:
        return "CANCELLED";
      case 501:
        return "UNIMPLEMENTED";
      case 503:
        return "UNAVAILABLE";
      case 504:
        return "DEADLINE_EXCEEDED";
      default:
        return httpStatus >= 500 ? "INTERNAL" : "UNKNOWN";
    }
  }

  private static String defaultMessage(int httpStatus) {
    switch (httpStatus) {
      case 401:
        return "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other "
            + "valid authentication credential.";
      case 403:
        return "The caller does not have permission";
      case 404:
        return "Requested entity was not found.";
      case 409:
        return "Requested entity already exists";
      case 429:
        return "Quota exceeded for quota metric 'Access requests' and limit 'Access requests per minute per project'.";
      case 503:
        return "The service is currently unavailable.";
      case 504:
        return "Deadline expired before operation could complete.";
      default:
        return httpStatus >= 500 ? "Internal error encountered." : "Request contains an invalid argument.";
    }
  }
}
