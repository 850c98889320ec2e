package dev.substrate.kubefake.internal.tokens;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A Kubernetes service-account token issuer as kube-apiserver is one: an RSA signing key whose {@code kid} is derived
 * from the public key as the API server derives it (base64url of the SHA-256 of its PKIX DER), the OIDC discovery
 * document and JWKS it serves, and RS256 tokens with the claims of a projected service-account token. The key is made
 * on first use. Thread-safe.
 */
public final class ServiceAccountIssuer {
  /** The discovery document's path. */
  public static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
  /** The JWKS path. */
  public static final String JWKS_PATH = "/openid/v1/jwks";

  /** An object a token is bound to ({@code boundObjectRef}): a Pod, Secret or Node. */
  public record Binding(String kind, String name, String uid) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SIGNING_KEY_RESOURCE = "/dev/substrate/kubefake/tokens/service-account-signing-key.der";

  private final String issuer;
  private final String jwksUri;
  private volatile RSAKey key;

  public ServiceAccountIssuer(String issuer, String jwksUri) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.jwksUri = jwksUri != null ? jwksUri : issuer.replaceAll("/+$", "") + JWKS_PATH;
  }

  public String issuer() {
    return issuer;
  }

  public String jwksUri() {
    return jwksUri;
  }

  /**
   * Whether an API server with this issuer serves the discovery documents: only for an https issuer without query or
   * fragment (kube-apiserver does not install the endpoints otherwise).
   */
  public boolean servesDocuments() {
    try {
      URI uri = new URI(issuer);
      return "https".equals(uri.getScheme()) && uri.getHost() != null && uri.getRawQuery() == null
          && uri.getRawFragment() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** The discovery document: exactly the five fields kube-apiserver writes. */
  public String discoveryJson() {
    ObjectNode d = JSON.createObjectNode();
    d.put("issuer", issuer);
    d.put("jwks_uri", jwksUri);
    d.putArray("response_types_supported").add("id_token");
    d.putArray("subject_types_supported").add("public");
    d.putArray("id_token_signing_alg_values_supported").add("RS256");
    return d.toString();
  }

  /** The JWKS: the public signing key, {@code use} {@code sig}, {@code alg} {@code RS256}. */
  public String jwksJson() {
    return new JWKSet(signingKey().toPublicJWK()).toString(true);
  }

  /** The current signing key's {@code kid}. */
  public String keyId() {
    return signingKey().getKeyID();
  }

  /** Replaces the signing key; the old one leaves the JWKS, so tokens it signed no longer verify against it. */
  public synchronized void rotateKey() {
    key = generate();
  }

  /**
   * A signed token shaped like a projected service-account token: header {@code alg}, {@code kid}; claims
   * {@code aud} (always an array), {@code exp}, {@code iat}, {@code iss}, {@code jti}, {@code kubernetes.io}
   * ({@code namespace}, {@code serviceaccount.name}, {@code serviceaccount.uid}, and the bound object), {@code nbf},
   * {@code sub} ({@code system:serviceaccount:NS:NAME}).
   */
  public String mint(String namespace, String name, String uid, List<String> audiences, Instant issuedAt,
      Duration lifetime, Binding binding) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    long iat = issuedAt.getEpochSecond();
    ObjectNode claims = JSON.createObjectNode();
    ArrayNode aud = claims.putArray("aud");
    audiences.forEach(aud::add);
    claims.put("exp", iat + lifetime.toSeconds());
    claims.put("iat", iat);
    claims.put("iss", issuer);
    claims.put("jti", UUID.randomUUID().toString());
    ObjectNode k8s = claims.putObject("kubernetes.io");
    k8s.put("namespace", namespace);
    if (binding != null) {
      ObjectNode bound = k8s.putObject(binding.kind().toLowerCase(java.util.Locale.ROOT));
      bound.put("name", binding.name());
      bound.put("uid", binding.uid());
    }
    ObjectNode sa = k8s.putObject("serviceaccount");
    sa.put("name", name);
    sa.put("uid", uid != null ? uid : defaultUid(namespace, name));
    claims.put("nbf", iat);
    claims.put("sub", subject(namespace, name));
    RSAKey signing = signingKey();
    JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signing.getKeyID()).build(),
        new Payload(claims.toString()));
    try {
      jws.sign(new RSASSASigner(signing));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a service-account token", e);
    }
    return jws.serialize();
  }

  /** {@code system:serviceaccount:NS:NAME}. */
  public static String subject(String namespace, String name) {
    return "system:serviceaccount:" + namespace + ":" + name;
  }

  /** The uid a service account gets when the issuer knows of none: stable for its namespace and name. */
  public static String defaultUid(String namespace, String name) {
    return UUID.nameUUIDFromBytes(("serviceaccount/" + namespace + "/" + name).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  private RSAKey signingKey() {
    RSAKey k = key;
    if (k == null) {
      synchronized (this) {
        k = key;
        if (k == null) {
          k = committedKey();
          key = k;
        }
      }
    }
    return k;
  }

  private static RSAKey generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      return signing((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is not available", e);
    }
  }

  /** The key every issuer starts with (see the README beside it), so that separate runs serve the same JWKS. */
  private static RSAKey committedKey() {
    try (java.io.InputStream in = ServiceAccountIssuer.class.getResourceAsStream(SIGNING_KEY_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(SIGNING_KEY_RESOURCE + " is missing from the substrate-kube-fake jar");
      }
      java.security.KeyFactory rsa = java.security.KeyFactory.getInstance("RSA");
      java.security.interfaces.RSAPrivateCrtKey priv = (java.security.interfaces.RSAPrivateCrtKey)
          rsa.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(in.readAllBytes()));
      RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(
          new java.security.spec.RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
      return signing(pub, priv);
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot read " + SIGNING_KEY_RESOURCE, e);
    }
  }

  private static RSAKey signing(RSAPublicKey pub, RSAPrivateKey priv) {
    try {
      // kube-apiserver's keyIDFromPublicKey: base64url(sha256(PKIX DER)), no padding
      String kid = Base64.getUrlEncoder().withoutPadding()
          .encodeToString(MessageDigest.getInstance("SHA-256").digest(pub.getEncoded()));
      return new RSAKey.Builder(pub).privateKey(priv).keyID(kid).keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.RS256).build();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
