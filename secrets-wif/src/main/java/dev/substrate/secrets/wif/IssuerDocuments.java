package dev.substrate.secrets.wif;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dev.substrate.SubstrateException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A Kubernetes cluster's service-account issuer documents: the OIDC discovery document
 * ({@code /.well-known/openid-configuration}) and the JWKS ({@code /openid/v1/jwks}), as the API server serves them.
 * {@link #problems()} checks them; {@link #publish(Path)} writes them laid out for static hosting at the issuer URL;
 * {@link #advice()} says what to change when the issuer is not a public https URL.
 *
 * <pre>{@code
 * IssuerDocuments docs = IssuerDocuments.read(client);
 * docs.problems().forEach(System.out::println);       // empty when both documents are sound
 * docs.publish(Path.of("site"));                       // site/.well-known/openid-configuration, site/openid/v1/jwks
 * }</pre>
 */
public final class IssuerDocuments {
  /** The discovery document's path on the API server and under the issuer. */
  public static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
  /** The JWKS path on the API server. */
  public static final String JWKS_PATH = "/openid/v1/jwks";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String discovery;
  private final String jwks;
  private final JsonNode discoveryNode;
  private final JWKSet keys;
  private final List<String> problems;

  private IssuerDocuments(String discovery, String jwks) {
    this.discovery = Objects.requireNonNull(discovery, "discovery");
    this.jwks = Objects.requireNonNull(jwks, "jwks");
    List<String> found = new ArrayList<>();
    this.discoveryNode = parseDiscovery(discovery, found);
    this.keys = parseJwks(jwks, found);
    check(found);
    this.problems = Collections.unmodifiableList(found);
  }

  /** The two documents as served; problems are collected, not thrown. */
  public static IssuerDocuments of(String discoveryJson, String jwksJson) {
    return new IssuerDocuments(discoveryJson, jwksJson);
  }

  /**
   * Reads both documents through the Kubernetes client. The API server serves them only when its issuer is https
   * without query or fragment; a caller needs the {@code system:service-account-issuer-discovery} ClusterRole (bound
   * to all service accounts by default).
   *
   * @throws SubstrateException when a document is missing or cannot be read
   */
  public static IssuerDocuments read(KubernetesClient client) {
    return read(client, () -> {});
  }

  /** As {@link #read(KubernetesClient)}, calling {@code beforeEachRequest} before each of its (at most two) GETs. */
  public static IssuerDocuments read(KubernetesClient client, Runnable beforeEachRequest) {
    beforeEachRequest.run();
    String discovery = fetch(client, DISCOVERY_PATH);
    beforeEachRequest.run();
    return of(discovery, fetch(client, JWKS_PATH));
  }

  private static String fetch(KubernetesClient client, String path) {
    String body;
    try {
      body = client.raw(path);
    } catch (KubernetesClientException e) {
      throw new SubstrateException("reading " + path + " from the API server failed (HTTP " + e.getCode() + "): "
          + SubstrateException.describe(e), e);
    }
    if (body == null) {
      throw new SubstrateException("the API server does not serve " + path + ": its --service-account-issuer must be "
          + "an https URL without query or fragment for the issuer documents to be served");
    }
    return body;
  }

  /** The discovery document as served. */
  public String discoveryJson() {
    return discovery;
  }

  /** The JWKS as served. */
  public String jwksJson() {
    return jwks;
  }

  /** The {@code issuer}, or empty text when the discovery document has none. */
  public String issuer() {
    return text(discoveryNode, "issuer");
  }

  public String jwksUri() {
    return text(discoveryNode, "jwks_uri");
  }

  /** The keys (public parts only are ever kept by nimbus' parse of a sound JWKS). */
  public JWKSet keys() {
    return keys;
  }

  /** Everything wrong with the documents, all at once; empty when they are sound. */
  public List<String> problems() {
    return problems;
  }

  /**
   * What to change so Google can validate the cluster's tokens: empty when the issuer is a public https URL whose
   * {@code jwks_uri} sits under it.
   */
  public List<String> advice() {
    List<String> advice = new ArrayList<>();
    String issuer = issuer();
    String expectedJwks = issuer.replaceAll("/+$", "") + JWKS_PATH;
    if (!isPublicHttps(issuer)) {
      advice.add("the issuer '" + issuer + "' is not a public https URL: set the API server's "
          + "--service-account-issuer=https://PUBLIC-HOST[/PATH] and --service-account-jwks-uri="
          + "https://PUBLIC-HOST[/PATH]" + JWKS_PATH + ", then host the files publish() writes at that URL "
          + "(existing tokens keep the old issuer until they are re-minted; list the old issuer second while they expire)");
      advice.add("or keep the issuer private and upload the JWKS to the pool provider: gcloud iam "
          + "workload-identity-pools providers create-oidc PROVIDER --location=global --workload-identity-pool=POOL "
          + "--issuer-uri=" + (issuer.isEmpty() ? "ISSUER" : issuer) + " --jwk-json-path=jwks.json "
          + "--attribute-mapping=google.subject=assertion.sub (update-oidc --jwk-json-path after a key rotation)");
    } else if (!jwksUri().equals(expectedJwks)) {
      advice.add("jwks_uri is '" + jwksUri() + "', not under the issuer: set the API server's "
          + "--service-account-jwks-uri=" + expectedJwks + " so the published discovery document points at the "
          + "published JWKS");
    }
    return advice;
  }

  /**
   * Writes {@code dir/.well-known/openid-configuration} and {@code dir/openid/v1/jwks} (the JWKS as served, with only
   * the public key members), to be hosted at the issuer URL (serve both as {@code application/json}).
   *
   * @throws SubstrateException when the documents have problems; nothing is written then
   */
  public List<Path> publish(Path dir) {
    if (!problems.isEmpty()) {
      throw new SubstrateException("the issuer documents have problems, not publishing them: "
          + String.join("; ", problems));
    }
    try {
      Path discoveryFile = dir.resolve(".well-known/openid-configuration");
      Path jwksFile = dir.resolve("openid/v1/jwks");
      Files.createDirectories(discoveryFile.getParent());
      Files.createDirectories(jwksFile.getParent());
      ObjectMapper pretty = JSON.copy().enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
      Files.writeString(discoveryFile, pretty.writeValueAsString(discoveryNode) + "\n", StandardCharsets.UTF_8);
      Files.writeString(jwksFile, pretty.writeValueAsString(JSON.readTree(keys.toPublicJWKSet().toString(true)))
          + "\n", StandardCharsets.UTF_8);
      return List.of(discoveryFile, jwksFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the issuer documents under " + dir, e);
    }
  }

  private static JsonNode parseDiscovery(String json, List<String> found) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node == null || !node.isObject()) {
        found.add("the discovery document is not a JSON object");
        return JSON.createObjectNode();
      }
      return node;
    } catch (JsonProcessingException e) {
      found.add("the discovery document is not JSON: " + e.getOriginalMessage());
      return JSON.createObjectNode();
    }
  }

  private static JWKSet parseJwks(String json, List<String> found) {
    try {
      return JWKSet.parse(json);
    } catch (ParseException e) {
      found.add("the JWKS cannot be parsed: " + e.getMessage());
      return new JWKSet();
    }
  }

  private void check(List<String> found) {
    String issuer = issuer();
    checkIssuer(issuer, found);
    String jwksUri = jwksUri();
    if (jwksUri.isEmpty()) {
      found.add("the discovery document has no jwks_uri");
    } else if (!jwksUri.startsWith("https://")) {
      found.add("jwks_uri '" + jwksUri + "' is not https");
    }
    if (!contains(discoveryNode, "response_types_supported", "id_token")) {
      found.add("response_types_supported must list id_token");
    }
    if (!contains(discoveryNode, "subject_types_supported", "public")) {
      found.add("subject_types_supported must list public");
    }
    Set<String> advertised = new LinkedHashSet<>();
    JsonNode algs = discoveryNode.path("id_token_signing_alg_values_supported");
    algs.forEach(a -> advertised.add(a.asText()));
    if (advertised.isEmpty()) {
      found.add("id_token_signing_alg_values_supported is missing or empty");
    }

    if (keys.getKeys().isEmpty()) {
      found.add("the JWKS holds no keys");
    }
    Set<String> kids = new HashSet<>();
    Set<String> keyAlgs = new LinkedHashSet<>();
    for (JWK key : keys.getKeys()) {
      String kid = key.getKeyID();
      String name = kid == null ? "a " + key.getKeyType() + " key" : "key '" + kid + "'";
      if (key.isPrivate()) {
        found.add(name + " carries private key material: the JWKS must hold public keys only");
      }
      if (kid == null || kid.isEmpty()) {
        found.add(name + " has no kid");
      } else if (!kids.add(kid)) {
        found.add("kid '" + kid + "' is used by more than one key");
      }
      if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
        found.add(name + " has use '" + key.getKeyUse().identifier() + "', not sig");
      }
      Set<JWSAlgorithm> allowed = algorithmsFor(key);
      if (allowed.isEmpty()) {
        found.add(name + " has key type " + key.getKeyType() + ", which cannot sign service-account tokens");
      }
      Algorithm alg = key.getAlgorithm();
      if (alg == null) {
        found.add(name + " has no alg");
      } else if (!allowed.contains(JWSAlgorithm.parse(alg.getName()))) {
        found.add(name + " has alg " + alg.getName() + ", which does not match its key type " + key.getKeyType()
            + (key instanceof ECKey ec ? " (" + ec.getCurve() + ")" : ""));
      } else {
        keyAlgs.add(alg.getName());
        if (!advertised.isEmpty() && !advertised.contains(alg.getName())) {
          found.add(name + " uses " + alg.getName() + ", which id_token_signing_alg_values_supported does not list");
        }
      }
    }
    for (String a : advertised) {
      if (!keys.getKeys().isEmpty() && !keyAlgs.isEmpty() && !keyAlgs.contains(a)) {
        found.add("id_token_signing_alg_values_supported lists " + a + " but no key uses it");
      }
    }
  }

  private static void checkIssuer(String issuer, List<String> found) {
    if (issuer.isEmpty()) {
      found.add("the discovery document has no issuer");
      return;
    }
    URI uri;
    try {
      uri = new URI(issuer);
    } catch (URISyntaxException e) {
      found.add("the issuer '" + issuer + "' is not a URL: " + e.getReason());
      return;
    }
    if (!"https".equals(uri.getScheme())) {
      found.add("the issuer '" + issuer + "' is not https");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      found.add("the issuer '" + issuer + "' has no host");
    }
    if (uri.getRawQuery() != null) {
      found.add("the issuer '" + issuer + "' has a query");
    }
    if (uri.getRawFragment() != null) {
      found.add("the issuer '" + issuer + "' has a fragment");
    }
    if (uri.getRawUserInfo() != null) {
      found.add("the issuer '" + issuer + "' has user info");
    }
  }

  /** https, a host name with a dot that is not an in-cluster, loopback, private or link-local address. */
  static boolean isPublicHttps(String issuer) {
    try {
      URI uri = new URI(issuer);
      String host = uri.getHost();
      if (!"https".equals(uri.getScheme()) || host == null || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        return false;
      }
      String h = host.toLowerCase(java.util.Locale.ROOT);
      if (!h.contains(".") || h.endsWith(".local") || h.endsWith(".svc") || h.contains(".svc.")
          || h.endsWith(".internal") || h.equals("localhost") || h.endsWith(".localhost")) {
        return false;
      }
      if (h.matches("[0-9.]+") || h.startsWith("[")) {
        InetAddress a = InetAddress.getByName(h);
        return !(a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
            || a.getHostAddress().startsWith("100.64.") || a.getHostAddress().toLowerCase(java.util.Locale.ROOT)
            .startsWith("fd"));
      }
      return true;
    } catch (URISyntaxException | IOException e) {
      return false;
    }
  }

  private static Set<JWSAlgorithm> algorithmsFor(JWK key) {
    if (KeyType.RSA.equals(key.getKeyType())) {
      return JWSAlgorithm.Family.RSA;
    }
    if (key instanceof ECKey ec) {
      Curve c = ec.getCurve();
      if (Curve.P_256.equals(c)) {
        return Set.of(JWSAlgorithm.ES256);
      }
      if (Curve.P_384.equals(c)) {
        return Set.of(JWSAlgorithm.ES384);
      }
      if (Curve.P_521.equals(c)) {
        return Set.of(JWSAlgorithm.ES512);
      }
      return Set.of();
    }
    if (key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
      return Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
    }
    return Set.of();
  }

  private static boolean contains(JsonNode node, String field, String value) {
    for (JsonNode v : node.path(field)) {
      if (value.equals(v.asText())) {
        return true;
      }
    }
    return false;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || !v.isTextual() ? "" : v.asText();
  }

  @Override
  public String toString() {
    return "IssuerDocuments{issuer=" + issuer() + ", keys=" + keys.getKeys().size() + ", problems=" + problems.size()
        + "}";
  }
}
