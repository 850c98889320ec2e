package dev.substrate.secrets.aws.internal;

import dev.substrate.SubstrateException;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Mints ServiceAccount tokens with the TokenRequest API ({@code POST
 * /api/v1/namespaces/NS/serviceaccounts/NAME/token}, audience and {@code expirationSeconds}); a 4xx other than 408
 * and 429 is a {@link Refused}, not worth retrying. Messages quote the API server's status, never a token.
 */
public final class TokenRequests {
  /** The API server's minimum token lifetime. */
  public static final Duration MINIMUM_LIFETIME = Duration.ofMinutes(10);

  /** The API server refused the TokenRequest (a missing ServiceAccount, no permission). */
  public static final class Refused extends SubstrateException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refused(String message, int status) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String audience;
  private final Duration lifetime;

  public TokenRequests(KubernetesClient client, String namespace, String name, String audience, Duration lifetime) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.name = Objects.requireNonNull(name, "name");
    this.audience = Objects.requireNonNull(audience, "audience");
    if (lifetime.compareTo(MINIMUM_LIFETIME) < 0) {
      throw new IllegalArgumentException("a TokenRequest lifetime must be at least 600 s, was " + lifetime.toSeconds()
          + " s");
    }
    this.lifetime = lifetime;
  }

  /** {@code system:serviceaccount:NS:NAME}. */
  public String subject() {
    return "system:serviceaccount:" + namespace + ":" + name;
  }

  /** A new token. */
  public String mint() throws IOException {
    TokenRequest request = new TokenRequestBuilder().withNewSpec().withAudiences(List.of(audience))
        .withExpirationSeconds(lifetime.toSeconds()).endSpec().build();
    TokenRequest answer;
    try {
      answer = client.serviceAccounts().inNamespace(namespace).withName(name).tokenRequest(request);
    } catch (KubernetesClientException e) {
      int code = e.getCode();
      String why = e.getStatus() == null ? e.getClass().getSimpleName() : e.getStatus().getMessage();
      if (code >= 400 && code < 500 && code != 408 && code != 429) {
        throw new Refused("TokenRequest for " + subject() + " was refused: " + why, code);
      }
      throw new IOException("TokenRequest for " + subject() + " failed (HTTP " + code + "): " + why);
    }
    String token = answer == null || answer.getStatus() == null ? null : answer.getStatus().getToken();
    if (token == null || token.isEmpty()) {
      throw new IOException("TokenRequest for " + subject() + " returned no token");
    }
    return token;
  }

  @Override
  public String toString() {
    return "TokenRequests{" + subject() + ", audience=" + audience + ", lifetime=" + lifetime.toSeconds() + "s}";
  }
}
