package dev.substrate.kubefake;

import dev.substrate.kubefake.internal.tokens.ServiceAccountIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A Kubernetes service-account token issuer, as kube-apiserver is one: an RSA signing key, the OIDC discovery document
 * and JWKS, and RS256 tokens shaped like projected service-account tokens. {@link EmbeddedCluster#oidc()} is the
 * embedded cluster's, which serves {@code GET /.well-known/openid-configuration}, {@code GET /openid/v1/jwks} and
 * TokenRequests ({@code POST /api/v1/namespaces/NS/serviceaccounts/NAME/token}) with it; {@link #create(String)} makes
 * one without a cluster.
 *
 * <pre>{@code
 * OidcIssuer oidc = cluster.oidc();
 * oidc.issuer();                                    // https://kubernetes.default.svc.cluster.local (Hetzner preset)
 * String jwks = oidc.jwksJson();                    // {"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":...}]}
 * String token = oidc.mint("external-secrets", "external-secrets", List.of(audience), Duration.ofHours(1));
 * oidc.rotateKey();                                 // the JWKS read above no longer verifies new tokens
 * }</pre>
 *
 * <p>Tokens carry the header {@code {"alg":"RS256","kid":KID}} ({@code kid} derived from the public key as the API
 * server derives it) and the claims {@code aud} (an array), {@code exp}, {@code iat}, {@code iss}, {@code jti},
 * {@code kubernetes.io} ({@code namespace}, {@code serviceaccount: {name, uid}}, and the bound {@code pod},
 * {@code secret} or {@code node} for bound TokenRequests), {@code nbf} and {@code sub}
 * ({@code system:serviceaccount:NS:NAME}). The key is made on first use. Thread-safe.
 */
public final class OidcIssuer {
  private final ServiceAccountIssuer delegate;
  private final BiFunction<String, String, String> uids;

  OidcIssuer(ServiceAccountIssuer delegate, BiFunction<String, String, String> uids) {
    this.delegate = delegate;
    this.uids = uids;
  }

  /** An issuer without a cluster; its {@code jwks_uri} is {@code issuer + "/openid/v1/jwks"}. */
  public static OidcIssuer create(String issuer) {
    return new OidcIssuer(new ServiceAccountIssuer(Objects.requireNonNull(issuer, "issuer"), null), (ns, n) -> null);
  }

  /** The issuer URL: the tokens' {@code iss} and the discovery document's {@code issuer}. */
  public String issuer() {
    return delegate.issuer();
  }

  /** The discovery document's {@code jwks_uri}. */
  public String jwksUri() {
    return delegate.jwksUri();
  }

  /**
   * Whether an API server with this issuer serves the two documents: only when the issuer is an https URL without
   * query or fragment, as with kube-apiserver; otherwise the embedded cluster answers 404 for both.
   */
  public boolean servesDocuments() {
    return delegate.servesDocuments();
  }

  /** The discovery document as the API server serves it at {@code /.well-known/openid-configuration}. */
  public String discoveryJson() {
    return delegate.discoveryJson();
  }

  /** The JWKS as the API server serves it at {@code /openid/v1/jwks}: the current public signing key. */
  public String jwksJson() {
    return delegate.jwksJson();
  }

  /** The {@code kid} of the current signing key. */
  public String keyId() {
    return delegate.keyId();
  }

  /**
   * Replaces the signing key. The old key leaves the JWKS: a JWKS read before no longer verifies tokens minted after,
   * and tokens minted before no longer verify against the new JWKS.
   */
  public void rotateKey() {
    delegate.rotateKey();
  }

  /**
   * A token for service account {@code namespace/name}, issued now, as a TokenRequest would return it (without the
   * API server's checks: the service account need not exist, and any non-negative lifetime goes). Its
   * {@code serviceaccount.uid} is the account's when the cluster has it.
   */
  public String mint(String namespace, String name, List<String> audiences, Duration lifetime) {
    return mint(namespace, name, audiences, Instant.now(), lifetime);
  }

  /** Like {@link #mint(String, String, List, Duration)}, issued at {@code issuedAt} (in the past for stale tokens). */
  public String mint(String namespace, String name, List<String> audiences, Instant issuedAt, Duration lifetime) {
    Objects.requireNonNull(audiences, "audiences");
    Objects.requireNonNull(issuedAt, "issuedAt");
    if (lifetime.isNegative()) {
      throw new IllegalArgumentException("lifetime must not be negative: " + lifetime);
    }
    return delegate.mint(namespace, name, uids.apply(namespace, name), List.copyOf(audiences), issuedAt, lifetime,
        null);
  }

  /** {@code system:serviceaccount:NS:NAME}: the {@code sub} of the service account's tokens. */
  public static String subject(String namespace, String name) {
    return ServiceAccountIssuer.subject(namespace, name);
  }

  @Override
  public String toString() {
    return "OidcIssuer[" + issuer() + "]";
  }
}
