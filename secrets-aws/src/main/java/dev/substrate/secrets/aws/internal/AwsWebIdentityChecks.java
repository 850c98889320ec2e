package dev.substrate.secrets.aws.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.substrate.CheckResult;
import dev.substrate.SecretsConfig;
import dev.substrate.SubstrateException;
import dev.substrate.secrets.aws.TrustPolicy;
import dev.substrate.spi.Check;
import dev.substrate.spi.DoctorContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;

/**
 * Doctor checks of the keyless chain to AWS for {@code secret_store_auth: wif}: the cluster's issuer documents, the
 * documents IAM fetches from the issuer URL against the cluster's keys, and a token minted for ESO's ServiceAccount
 * that STS must accept ({@code AssumeRoleWithWebIdentity} of {@code aws.role_arn}). They need the live cluster and
 * skip without one; they cost two GETs of the cluster, one write (the TokenRequest, listed in the report), the
 * issuer's two public documents and one STS call.
 */
final class AwsWebIdentityChecks {
  static final String ISSUER = "secrets.aws.issuer";
  static final String PUBLISHED_JWKS = "secrets.aws.published-jwks";
  static final String TOKEN = "secrets.aws.token";

  private static final String DOCUMENTS = "aws.issuer-documents";
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Fetches a public https document as IAM would. */
  interface Fetcher {
    String get(String url) throws IOException;
  }

  private final AwsSettings aws;
  private final SecretsConfig secrets;
  private final String region;
  private final Fetcher fetcher;

  AwsWebIdentityChecks(AwsSettings aws, SecretsConfig secrets, String region, Fetcher fetcher) {
    this.aws = aws;
    this.secrets = secrets;
    this.region = region;
    this.fetcher = fetcher;
  }

  AwsWebIdentityChecks(AwsSettings aws, SecretsConfig secrets, String region) {
    this(aws, secrets, region, AwsWebIdentityChecks::fetch);
  }

  List<Check> all() {
    return List.of(
        Check.of(ISSUER, Set.of(), (snapshot, context) -> withCluster(ISSUER, context, this::issuer)),
        Check.of(PUBLISHED_JWKS, Set.of(), (snapshot, context) -> withCluster(PUBLISHED_JWKS, context,
            this::published)),
        Check.of(TOKEN, Set.of(), (snapshot, context) -> withCluster(TOKEN, context, this::token)));
  }

  private interface Judge {
    CheckResult judge(KubernetesClient client, DoctorContext context);
  }

  private static CheckResult withCluster(String id, DoctorContext context, Judge judge) {
    return context.client().map(client -> judge.judge(client, context))
        .orElseGet(() -> CheckResult.skip(id, "needs the live cluster (doctor ran from a dump)"));
  }

  private record Documents(Optional<ClusterIssuer> docs, String error) {}

  private static Documents documents(KubernetesClient client, DoctorContext context) {
    return context.shared(DOCUMENTS, () -> {
      context.progress("reading the cluster's OIDC issuer documents…");
      try {
        return new Documents(Optional.of(ClusterIssuer.read(client, () -> context.countClusterRequests(1))), "");
      } catch (SubstrateException e) {
        return new Documents(Optional.empty(), e.getMessage());
      }
    });
  }

  private Optional<TrustPolicy> policy(String issuer) {
    Optional<String> role = aws.roleArn();
    try {
      return role.map(r -> TrustPolicy.forRole(issuer, r, secrets.namespace(), secrets.serviceAccount(),
          aws.audience()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private CheckResult issuer(KubernetesClient client, DoctorContext context) {
    Documents read = documents(client, context);
    if (read.docs().isEmpty()) {
      return CheckResult.fail(ISSUER, read.error(), "set the API server's --service-account-issuer to an https URL "
          + "without query or fragment, and let the caller get /.well-known/openid-configuration and /openid/v1/jwks "
          + "(ClusterRole system:service-account-issuer-discovery)");
    }
    ClusterIssuer docs = read.docs().get();
    if (!docs.problems().isEmpty()) {
      return CheckResult.fail(ISSUER, "the issuer documents have problems: " + String.join("; ", docs.problems()),
          "fix the API server's --service-account-issuer, --service-account-jwks-uri and signing keys");
    }
    String found = "issuer " + docs.issuer() + " serves its discovery document and a JWKS of "
        + count(docs.keys().getKeys().size(), "key");
    if (!docs.publicHttps()) {
      return CheckResult.fail(ISSUER, found + ", but IAM cannot fetch them: an IAM OIDC provider reads the discovery "
          + "document and JWKS from the issuer URL itself, which must be public https",
          "set --service-account-issuer (and --service-account-jwks-uri=ISSUER/openid/v1/jwks) to a public https "
              + "URL and host the documents there (substrate wif issuer --publish DIR)");
    }
    String provider = policy(docs.issuer()).map(p -> "; IAM OIDC provider " + p.providerArn() + " with client ID "
        + p.audience()).orElse("");
    return CheckResult.pass(ISSUER, found + provider);
  }

  /** What IAM sees: the discovery document at the issuer URL, then its {@code jwks_uri}, against the cluster's keys. */
  private CheckResult published(KubernetesClient client, DoctorContext context) {
    Optional<ClusterIssuer> docs = documents(client, context).docs();
    if (docs.isEmpty() || !docs.get().problems().isEmpty() || !docs.get().publicHttps()) {
      return CheckResult.skip(PUBLISHED_JWKS, "the issuer is not one IAM can read (see " + ISSUER + ")");
    }
    String issuer = docs.get().issuer();
    String discoveryUrl = (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
        + ClusterIssuer.DISCOVERY_PATH;
    String jwksUri;
    JWKSet published;
    try {
      context.countRequests("issuer", 1);
      JsonNode discovery = JSON.readTree(fetcher.get(discoveryUrl));
      if (!issuer.equals(discovery.path("issuer").asText())) {
        return CheckResult.fail(PUBLISHED_JWKS, "the discovery document at " + discoveryUrl + " names issuer '"
            + discovery.path("issuer").asText() + "', not " + issuer + ": STS will refuse the tokens",
            "republish the cluster's documents: substrate wif issuer --publish DIR, hosted at the issuer URL");
      }
      jwksUri = discovery.path("jwks_uri").asText();
      if (!jwksUri.startsWith("https://")) {
        return CheckResult.fail(PUBLISHED_JWKS, "the discovery document at " + discoveryUrl + " has no https jwks_uri",
            "republish the cluster's documents: substrate wif issuer --publish DIR, hosted at the issuer URL");
      }
      context.countRequests("issuer", 1);
      published = JWKSet.parse(fetcher.get(jwksUri));
    } catch (IOException | ParseException | RuntimeException e) {
      return CheckResult.fail(PUBLISHED_JWKS, "IAM cannot read the issuer's documents at " + discoveryUrl + ": "
          + SubstrateException.describe(e), "host the documents at the issuer URL (substrate wif issuer --publish "
          + "DIR writes .well-known/openid-configuration and openid/v1/jwks)");
    }
    Set<String> clusterKeys = thumbprints(docs.get().keys());
    Set<String> publishedKeys = thumbprints(published);
    Set<String> missing = new TreeSet<>(clusterKeys);
    missing.removeAll(publishedKeys);
    if (!missing.isEmpty()) {
      return CheckResult.fail(PUBLISHED_JWKS, "the JWKS at " + jwksUri + " lacks " + count(missing.size(), "key")
          + " the cluster signs with (" + String.join(", ", missing) + "): the key was rotated and STS will refuse "
          + "new tokens", "republish: substrate wif issuer --publish DIR, hosted at the issuer URL");
    }
    Set<String> stale = new TreeSet<>(publishedKeys);
    stale.removeAll(clusterKeys);
    String found = "the JWKS IAM reads at " + jwksUri + " holds the cluster's " + count(clusterKeys.size(), "key");
    return stale.isEmpty() ? CheckResult.pass(PUBLISHED_JWKS, found)
        : CheckResult.warn(PUBLISHED_JWKS, found + " and " + count(stale.size(), "retired key") + " ("
            + String.join(", ", stale) + ")", "republish to drop retired keys once no token signed with them is live");
  }

  private CheckResult token(KubernetesClient client, DoctorContext context) {
    if (aws.roleArn().isEmpty()) {
      return CheckResult.fail(TOKEN, "aws.role_arn is not set, so there is no role for ESO's tokens to assume",
          "set aws.role_arn to the IAM role that trusts the cluster's issuer");
    }
    String role = aws.roleArn().get();
    String namespace = secrets.namespace();
    String name = secrets.serviceAccount();
    TokenRequests minter = new TokenRequests(client, namespace, name, aws.audience(), TokenRequests.MINIMUM_LIFETIME);
    String token;
    try {
      context.progress("minting a token for " + namespace + "/" + name + "…");
      context.countClusterWrite(TOKEN + " created a TokenRequest for " + namespace + "/" + name);
      token = minter.mint();
    } catch (IOException | RuntimeException e) {
      return CheckResult.fail(TOKEN, "could not mint a token for ESO's ServiceAccount " + namespace + "/" + name + ": "
          + SubstrateException.describe(e), "apply the rendered ServiceAccount (substrate apply) and check that the "
          + "caller may create serviceaccounts/token in " + namespace);
    }
    Optional<String> issuer = documents(client, context).docs().map(ClusterIssuer::issuer);
    String remedy = issuer.flatMap(this::policy).map(p -> "create the IAM OIDC provider (" + p.createProviderCommand()
        + ") and give " + role + " the trust policy " + p.json().replaceAll("\\s+", ""))
        .orElse("register the cluster's issuer as an IAM OIDC provider with client ID " + aws.audience() + " and let "
            + role + " trust system:serviceaccount:" + namespace + ":" + name);
    StsClientBuilder b = StsClient.builder().region(Region.of(region))
        .credentialsProvider(AnonymousCredentialsProvider.create());
    aws.stsEndpoint().map(URI::create).ifPresent(b::endpointOverride);
    context.countRequests("sts", 1);
    try (StsClient sts = b.build()) {
      AssumeRoleWithWebIdentityResponse answer = sts.assumeRoleWithWebIdentity(r -> r.roleArn(role)
          .roleSessionName("substrate-doctor").webIdentityToken(token));
      return CheckResult.pass(TOKEN, "STS accepted a token minted for " + namespace + "/" + name + " (aud "
          + aws.audience() + "): it assumed " + answer.assumedRoleUser().arn());
    } catch (SdkException e) {
      return CheckResult.fail(TOKEN, "STS refused a token minted for " + namespace + "/" + name + " to assume " + role
          + ": " + AwsErrors.describe(e), remedy);
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

  private static String fetch(String url) throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(FETCH_TIMEOUT).build();
    try {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(FETCH_TIMEOUT)
          .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (answer.statusCode() != 200) {
        throw new IOException("HTTP " + answer.statusCode() + " from " + url);
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
