package dev.substrate.secrets.wif.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.substrate.CheckResult;
import dev.substrate.ConfigException;
import dev.substrate.SecretsConfig;
import dev.substrate.SubstrateException;
import dev.substrate.secrets.wif.IssuerDocuments;
import dev.substrate.secrets.wif.TokenRequestSubjectToken;
import dev.substrate.spi.Check;
import dev.substrate.spi.DoctorContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Doctor checks of the keyless chain for {@code secret_store_auth: wif}: the cluster's issuer documents, the JWKS
 * Google reads (published or uploaded) against the cluster's, and a token minted for ESO's ServiceAccount. They need
 * the live cluster and skip without one. They cost the cluster two GETs (the issuer documents, read once per run) and
 * one write: the TokenRequest, which the report lists.
 */
public final class WifChecks {
  static final String ISSUER = "secrets.wif.issuer";
  static final String PUBLISHED_JWKS = "secrets.wif.published-jwks";
  static final String TOKEN = "secrets.wif.token";

  private static final String DOCUMENTS = "wif.issuer-documents";
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

  private final WifSettings wif;
  private final SecretsConfig secrets;

  public WifChecks(WifSettings wif, SecretsConfig secrets) {
    this.wif = wif;
    this.secrets = secrets;
  }

  public List<Check> all() {
    return List.of(
        Check.of(ISSUER, Set.of(), (snapshot, context) -> withCluster(ISSUER, context, this::issuer)),
        Check.of(PUBLISHED_JWKS, Set.of(), (snapshot, context) -> withCluster(PUBLISHED_JWKS, context, this::published)),
        Check.of(TOKEN, Set.of(), (snapshot, context) -> withCluster(TOKEN, context, this::token)));
  }

  /** Without a sound {@code wif:} section: the issuer check fails with the config problems, the others skip. */
  public static List<Check> unconfigured(ConfigException problem) {
    String why = String.join("; ", problem.problems());
    return List.of(
        Check.of(ISSUER, Set.of(), snapshot -> CheckResult.fail(ISSUER, "secret_store_auth wif is not configured: "
            + why, "set wif.audience to the workload identity pool provider that trusts this cluster's issuer")),
        Check.of(PUBLISHED_JWKS, Set.of(), snapshot -> CheckResult.skip(PUBLISHED_JWKS, "wif is not configured")),
        Check.of(TOKEN, Set.of(), snapshot -> CheckResult.skip(TOKEN, "wif is not configured")));
  }

  private interface Judge {
    CheckResult judge(KubernetesClient client, DoctorContext context);
  }

  private static CheckResult withCluster(String id, DoctorContext context, Judge judge) {
    return context.client().map(client -> judge.judge(client, context))
        .orElseGet(() -> CheckResult.skip(id, "needs the live cluster (doctor ran from a dump)"));
  }

  /** The issuer documents, read once per doctor run, or why they could not be. */
  private record Documents(Optional<IssuerDocuments> docs, String error) {}

  private static Documents documents(KubernetesClient client, DoctorContext context) {
    return context.shared(DOCUMENTS, () -> {
      context.progress("reading the cluster's OIDC issuer documents…");
      try {
        return new Documents(Optional.of(IssuerDocuments.read(client, () -> context.countClusterRequests(1))), "");
      } catch (SubstrateException e) {
        return new Documents(Optional.empty(), e.getMessage());
      }
    });
  }

  private CheckResult issuer(KubernetesClient client, DoctorContext context) {
    Documents read = documents(client, context);
    if (read.docs().isEmpty()) {
      return CheckResult.fail(ISSUER, read.error(), "set the API server's --service-account-issuer to an https URL "
          + "without query or fragment, and let the caller get /.well-known/openid-configuration and /openid/v1/jwks "
          + "(ClusterRole system:service-account-issuer-discovery)");
    }
    IssuerDocuments docs = read.docs().get();
    if (!docs.problems().isEmpty()) {
      return CheckResult.fail(ISSUER, "the issuer documents have problems: " + String.join("; ", docs.problems()),
          "fix the API server's --service-account-issuer, --service-account-jwks-uri and signing keys");
    }
    String found = "issuer " + docs.issuer() + " serves its discovery document and a JWKS of "
        + count(docs.keys().getKeys().size(), "key");
    List<String> advice = docs.advice();
    if (advice.isEmpty()) {
      return CheckResult.pass(ISSUER, found);
    }
    if (wif.publishedJwks().isPresent()) {
      return CheckResult.pass(ISSUER, found + "; Google reads the keys from " + wif.publishedJwks().get());
    }
    return CheckResult.fail(ISSUER, found + ", but Google cannot reach them: " + advice.get(0),
        advice.size() > 1 ? advice.get(1) + "; then set wif.published_jwks to the uploaded file" : advice.get(0));
  }

  private CheckResult published(KubernetesClient client, DoctorContext context) {
    Optional<IssuerDocuments> docs = documents(client, context).docs();
    if (docs.isEmpty()) {
      return CheckResult.skip(PUBLISHED_JWKS, "the cluster's issuer documents could not be read (see " + ISSUER + ")");
    }
    String where = wif.publishedJwks().orElse(docs.get().jwksUri());
    JWKSet publishedKeys;
    try {
      publishedKeys = JWKSet.parse(where.startsWith("https://") ? fetch(where, context) : Files.readString(Path.of(where)));
    } catch (IOException | ParseException | IllegalArgumentException e) {
      return CheckResult.fail(PUBLISHED_JWKS, "the JWKS Google reads at " + Shown.place(where) + " could not be read: "
          + SubstrateException.describe(e), "publish the issuer documents (substrate wif issuer --publish DIR, hosted at the issuer "
          + "URL) or upload the JWKS to the pool provider and set wif.published_jwks to that file");
    }
    Set<String> clusterKeys = thumbprints(docs.get().keys());
    Set<String> googleKeys = thumbprints(publishedKeys);
    Set<String> missing = new TreeSet<>(clusterKeys);
    missing.removeAll(googleKeys);
    if (!missing.isEmpty()) {
      return CheckResult.fail(PUBLISHED_JWKS, "the JWKS at " + Shown.place(where) + " lacks " + count(missing.size(), "key")
          + " the cluster signs with (" + String.join(", ", missing) + "): the key was rotated and Google will "
          + "reject new tokens", "republish: substrate wif issuer --publish DIR and host it at the issuer URL, or "
          + "gcloud iam workload-identity-pools providers update-oidc PROVIDER --jwk-json-path DIR/openid/v1/jwks");
    }
    Set<String> stale = new TreeSet<>(googleKeys);
    stale.removeAll(clusterKeys);
    String found = "the JWKS at " + Shown.place(where) + " holds the cluster's " + count(clusterKeys.size(), "key");
    return stale.isEmpty() ? CheckResult.pass(PUBLISHED_JWKS, found)
        : CheckResult.warn(PUBLISHED_JWKS, found + " and " + count(stale.size(), "retired key") + " ("
            + String.join(", ", stale) + ")", "republish to drop retired keys once no token signed with them is live");
  }

  private CheckResult token(KubernetesClient client, DoctorContext context) {
    String namespace = secrets.namespace();
    String name = secrets.serviceAccount();
    TokenRequestSubjectToken minter = new TokenRequestSubjectToken(client, namespace, name, wif.audience(),
        TokenRequestSubjectToken.MINIMUM_LIFETIME);
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      context.progress("minting a token for " + namespace + "/" + name + "…");
      context.countClusterWrite(TOKEN + " created a TokenRequest for " + namespace + "/" + name);
      jwt = SignedJWT.parse(minter.get());
      claims = jwt.getJWTClaimsSet();
    } catch (IOException | RuntimeException | ParseException e) {
      return CheckResult.fail(TOKEN, "could not mint a token for ESO's ServiceAccount " + namespace + "/" + name + ": "
          + SubstrateException.describe(e), "apply the rendered ServiceAccount (substrate apply) and check that the caller may create "
          + "serviceaccounts/token in " + namespace);
    }
    List<String> wrong = new ArrayList<>();
    Optional<IssuerDocuments> docs = documents(client, context).docs();
    if (docs.isPresent() && !docs.get().issuer().equals(claims.getIssuer())) {
      wrong.add("iss is " + claims.getIssuer() + ", not the issuer " + docs.get().issuer());
    }
    if (!minter.subject().equals(claims.getSubject())) {
      wrong.add("sub is " + claims.getSubject() + ", not " + minter.subject());
    }
    List<String> audiences = claims.getAudience();
    if (!audiences.contains(wif.audience()) && !audiences.contains(wif.httpsAudience())) {
      wrong.add("aud is " + audiences + ", not the pool provider " + wif.audience());
    }
    docs.flatMap(d -> verification(jwt, d.keys())).ifPresent(wrong::add);
    if (!wrong.isEmpty()) {
      return CheckResult.fail(TOKEN, "a token minted for " + namespace + "/" + name + " will be refused: "
          + String.join("; ", wrong), "fix the API server's issuer and signing keys; the pool provider expects iss "
          + docs.map(IssuerDocuments::issuer).orElse("ISSUER") + " and aud " + wif.audience());
    }
    return CheckResult.pass(TOKEN, "a token minted for " + namespace + "/" + name + " carries iss "
        + claims.getIssuer() + ", sub " + claims.getSubject() + ", aud " + wif.audience()
        + (docs.isPresent() ? " and verifies against the JWKS (kid " + jwt.getHeader().getKeyID() + ")" : "")
        + "; its IAM principal is " + wif.principal(minter.subject()));
  }

  private static Optional<String> verification(SignedJWT jwt, JWKSet keys) {
    String kid = jwt.getHeader().getKeyID();
    JWK key = kid == null ? null : keys.getKeyByKeyId(kid);
    if (key == null) {
      return Optional.of("its signing key (kid " + kid + ") is not in the cluster's JWKS");
    }
    try {
      JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(),
          key.toRSAKey().toPublicKey());
      return jwt.verify(verifier) ? Optional.empty() : Optional.of("its signature does not verify against kid " + kid);
    } catch (JOSEException | IllegalStateException e) {
      return Optional.of("its signature cannot be checked against kid " + kid + ": "
          + SubstrateException.describe(e));
    }
  }

  private static Set<String> thumbprints(JWKSet keys) {
    Set<String> prints = new TreeSet<>();
    for (JWK key : keys.getKeys()) {
      try {
        prints.add(Optional.ofNullable(key.getKeyID()).orElse("no kid") + "#"
            + key.computeThumbprint().toString().substring(0, 8));
      } catch (JOSEException e) {
        prints.add(String.valueOf(key.getKeyID()));
      }
    }
    return prints;
  }

  private static String fetch(String url, DoctorContext context) throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(FETCH_TIMEOUT).build();
    context.countRequests("issuer", 1);
    try {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(FETCH_TIMEOUT)
          .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (answer.statusCode() != 200) {
        throw new IOException("HTTP " + answer.statusCode());
      }
      return answer.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
