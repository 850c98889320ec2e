package dev.substrate.secrets.wif;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A subject token minted with the Kubernetes TokenRequest API ({@code POST
 * /api/v1/namespaces/NS/serviceaccounts/NAME/token}) for one service account, with the pool provider as its audience.
 * Each {@link #get()} mints a new token; {@link FederatedCredentials} asks once per refresh.
 *
 * <pre>{@code
 * FederatedCredentials.builder().audience(audience)
 *     .subjectTokenSupplier(new TokenRequestSubjectToken(client, "external-secrets", "external-secrets", audience,
 *         Duration.ofHours(1)))
 * }</pre>
 */
public final class TokenRequestSubjectToken implements FederatedCredentials.SubjectTokenSupplier {
  /** The API server's minimum token lifetime. */
  public static final Duration MINIMUM_LIFETIME = Duration.ofMinutes(10);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String audience;
  private final Duration lifetime;

  /**
   * @param lifetime at least 10 min (the API server refuses less; it may shorten what it grants)
   */
  public TokenRequestSubjectToken(KubernetesClient client, String namespace, String name, String audience,
      Duration lifetime) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.name = Objects.requireNonNull(name, "name");
    this.audience = Objects.requireNonNull(audience, "audience");
    this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
    if (lifetime.compareTo(MINIMUM_LIFETIME) < 0) {
      throw new IllegalArgumentException("a TokenRequest lifetime must be at least 600 s, was " + lifetime.toSeconds()
          + " s");
    }
  }

  /** {@code system:serviceaccount:NS:NAME}, the token's {@code sub}. */
  public String subject() {
    return "system:serviceaccount:" + namespace + ":" + name;
  }

  @Override
  public String get() throws IOException {
    TokenRequest request = new TokenRequestBuilder().withNewSpec().withAudiences(List.of(audience))
        .withExpirationSeconds(lifetime.toSeconds()).endSpec().build();
    TokenRequest answer;
    try {
      answer = client.serviceAccounts().inNamespace(namespace).withName(name).tokenRequest(request);
    } catch (KubernetesClientException e) {
      // the message may quote the request, never a token; the cause is dropped all the same
      int code = e.getCode();
      if (code >= 400 && code < 500 && code != 408 && code != 429) {
        throw new FederatedTokenException("TokenRequest for " + subject() + " was refused: "
            + (e.getStatus() == null ? e.getClass().getSimpleName() : e.getStatus().getMessage()), code, false, 1);
      }
      throw new IOException("TokenRequest for " + subject() + " failed (HTTP " + e.getCode() + "): "
          + (e.getStatus() == null ? e.getClass().getSimpleName() : e.getStatus().getMessage()));
    }
    String token = answer == null || answer.getStatus() == null ? null : answer.getStatus().getToken();
    if (token == null || token.isEmpty()) {
      throw new IOException("TokenRequest for " + subject() + " returned no token");
    }
    return token;
  }

  @Override
  public String toString() {
    return "TokenRequestSubjectToken{" + subject() + ", audience=" + audience + ", lifetime=" + lifetime.toSeconds()
        + "s}";
  }
}
