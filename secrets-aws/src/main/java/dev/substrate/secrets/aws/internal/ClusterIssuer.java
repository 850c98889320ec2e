package dev.substrate.secrets.aws.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.substrate.SubstrateException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The cluster's service-account issuer as IAM needs it: the discovery document and JWKS the API server serves
 * ({@code /.well-known/openid-configuration}, {@code /openid/v1/jwks}), what is wrong with them, and whether the
 * issuer is a public https URL IAM can fetch them from. (secrets-wif's {@code IssuerDocuments} checks more, for
 * Google; a provider does not use another provider's classes.)
 */
record ClusterIssuer(String issuer, String jwksUri, JWKSet keys, List<String> problems) {
  static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
  static final String JWKS_PATH = "/openid/v1/jwks";
  private static final ObjectMapper JSON = new ObjectMapper();

  static ClusterIssuer read(KubernetesClient client, Runnable beforeEachRequest) {
    beforeEachRequest.run();
    String discovery = fetch(client, DISCOVERY_PATH);
    beforeEachRequest.run();
    return of(discovery, fetch(client, JWKS_PATH));
  }

  static ClusterIssuer of(String discoveryJson, String jwksJson) {
    List<String> problems = new ArrayList<>();
    JsonNode discovery;
    try {
      discovery = JSON.readTree(discoveryJson);
    } catch (IOException e) {
      throw new SubstrateException("the issuer's discovery document is not JSON: " + SubstrateException.describe(e));
    }
    String issuer = discovery.path("issuer").asText("");
    String jwksUri = discovery.path("jwks_uri").asText("");
    try {
      URI uri = new URI(issuer);
      if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
        problems.add("the issuer '" + issuer + "' is not an https URL with a host");
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
        problems.add("the issuer '" + issuer + "' has a query, fragment or user info");
      }
    } catch (URISyntaxException e) {
      problems.add("the issuer '" + issuer + "' is not a URL");
    }
    if (!jwksUri.startsWith("https://")) {
      problems.add("jwks_uri '" + jwksUri + "' is not https");
    }
    JWKSet keys;
    try {
      keys = JWKSet.parse(jwksJson);
    } catch (ParseException e) {
      throw new SubstrateException("the issuer's JWKS does not parse: " + e.getMessage());
    }
    if (keys.getKeys().isEmpty()) {
      problems.add("the JWKS holds no key");
    }
    Set<String> kids = new HashSet<>();
    for (JWK key : keys.getKeys()) {
      if (key.isPrivate()) {
        problems.add("key " + key.getKeyID() + " carries private key material: the JWKS must hold public keys only");
      }
      if (key.getKeyID() == null || !kids.add(key.getKeyID())) {
        problems.add("every key needs a unique kid (" + key.getKeyID() + ")");
      }
    }
    return new ClusterIssuer(issuer, jwksUri, keys.toPublicJWKSet(), List.copyOf(problems));
  }

  private static String fetch(KubernetesClient client, String path) {
    String body;
    try {
      body = client.raw(path);
    } catch (KubernetesClientException e) {
      throw new SubstrateException("reading " + path + " from the API server failed (HTTP " + e.getCode() + "): "
          + SubstrateException.describe(e));
    }
    if (body == null) {
      throw new SubstrateException("the API server does not serve " + path + ": its --service-account-issuer must be "
          + "an https URL without query or fragment for the issuer documents to be served");
    }
    return body;
  }

  /** Whether IAM can fetch from the issuer: https and a public host (not in-cluster, loopback, private, link-local). */
  boolean publicHttps() {
    try {
      URI uri = new URI(issuer);
      String host = uri.getHost();
      if (!"https".equals(uri.getScheme()) || host == null) {
        return false;
      }
      String h = host.toLowerCase(Locale.ROOT);
      if (!h.contains(".") || h.endsWith(".local") || h.endsWith(".svc") || h.contains(".svc.")
          || h.endsWith(".internal") || h.equals("localhost") || h.endsWith(".localhost")) {
        return false;
      }
      if (h.matches("[0-9.]+") || h.startsWith("[")) {
        InetAddress a = InetAddress.getByName(h);
        return !(a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
            || a.getHostAddress().startsWith("100.64.")
            || a.getHostAddress().toLowerCase(Locale.ROOT).startsWith("fd"));
      }
      return true;
    } catch (URISyntaxException | IOException e) {
      return false;
    }
  }
}
