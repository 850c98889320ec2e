package dev.substrate.kubefake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The embedded cluster as a service-account token issuer: discovery documents, TokenRequests, key rotation. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OidcIssuerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS = "external-secrets";
  private static final String SA = "external-secrets";
  private static final String AUDIENCE =
      "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/hetzner/providers/k3s-oidc";

  private EmbeddedCluster cluster;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    cluster = EmbeddedCluster.start(ClusterPreset.HETZNER);
    client = cluster.client();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private TokenRequest request(List<String> audiences, Long seconds) {
    return client.serviceAccounts().inNamespace(NS).withName(SA).tokenRequest(new TokenRequestBuilder()
        .withNewSpec().withAudiences(audiences).withExpirationSeconds(seconds).endSpec().build());
  }

  private static JsonNode claims(String token) throws Exception {
    return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
  }

  private static boolean verifies(String token, String jwks) throws Exception {
    SignedJWT jwt = SignedJWT.parse(token);
    JWK key = JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID());
    return key != null && jwt.verify(new RSASSAVerifier(key.toRSAKey()));
  }

  @Nested
  class Discovery_documents {
    @Test
    void the_discovery_document_has_exactly_the_fields_kube_apiserver_writes() throws Exception {
      JsonNode d = JSON.readTree(client.raw("/.well-known/openid-configuration"));
      List<String> fields = new java.util.ArrayList<>();
      for (Iterator<String> it = d.fieldNames(); it.hasNext(); ) {
        fields.add(it.next());
      }
      assertThat(fields).containsExactly("issuer", "jwks_uri", "response_types_supported", "subject_types_supported",
          "id_token_signing_alg_values_supported");
      assertThat(d.get("issuer").asText()).isEqualTo("https://kubernetes.default.svc.cluster.local");
      assertThat(d.get("jwks_uri").asText()).isEqualTo("https://kubernetes.default.svc.cluster.local/openid/v1/jwks");
      assertThat(d.get("response_types_supported").toString()).isEqualTo("[\"id_token\"]");
      assertThat(d.get("subject_types_supported").toString()).isEqualTo("[\"public\"]");
      assertThat(d.get("id_token_signing_alg_values_supported").toString()).isEqualTo("[\"RS256\"]");
      assertThat(cluster.oidc().discoveryJson()).isEqualTo(d.toString());
    }

    @Test
    void the_jwks_holds_the_public_signing_key_with_a_kid_derived_as_the_api_server_derives_it() throws Exception {
      JWKSet set = JWKSet.parse(client.raw("/openid/v1/jwks"));
      assertThat(set.getKeys()).singleElement().satisfies(k -> {
        assertThat(k).isInstanceOf(RSAKey.class);
        assertThat(k.isPrivate()).isFalse();
        assertThat(k.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        assertThat(k.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(((RSAKey) k).size()).isEqualTo(2048);
      });
      RSAKey key = (RSAKey) set.getKeys().get(0);
      String kid = Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(key.toRSAPublicKey().getEncoded()));
      assertThat(key.getKeyID()).isEqualTo(kid).isEqualTo(cluster.oidc().keyId());
      assertThat(JSON.readTree(client.raw("/openid/v1/jwks")).toString()).doesNotContain("\"d\"", "\"p\"", "\"q\"");
    }

    @Test
    void each_preset_has_an_issuer_that_looks_like_its_kind_of_cluster() {
      try (EmbeddedCluster gke = EmbeddedCluster.start(ClusterPreset.GKE);
          EmbeddedCluster byo = EmbeddedCluster.start(ClusterPreset.BYO)) {
        assertThat(gke.oidc().issuer()).isEqualTo(
            "https://container.googleapis.com/v1/projects/acme-ml/locations/europe-west4/clusters/prod");
        assertThat(byo.oidc().issuer()).isEqualTo("https://kubernetes.default.svc.cluster.local");
        assertThat(gke.oidc().jwksJson()).as("every cluster starts with the committed test key, so separate runs "
            + "serve the same JWKS").isEqualTo(byo.oidc().jwksJson());
        byo.oidc().rotateKey();
        assertThat(byo.oidc().keyId()).isNotEqualTo(gke.oidc().keyId());
      }
    }

    @Test
    void the_issuer_and_jwks_uri_can_be_set_on_the_builder() throws Exception {
      try (EmbeddedCluster c = EmbeddedCluster.builder().issuer("https://oidc.acme.example/k3s")
          .jwksUri("https://10.0.0.2:6443/openid/v1/jwks").start()) {
        JsonNode d = JSON.readTree(c.client().raw("/.well-known/openid-configuration"));
        assertThat(d.get("issuer").asText()).isEqualTo("https://oidc.acme.example/k3s");
        assertThat(d.get("jwks_uri").asText()).isEqualTo("https://10.0.0.2:6443/openid/v1/jwks");
      }
      assertThatThrownBy(() -> EmbeddedCluster.builder().issuer("not a url"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute URL");
    }

    @Test
    void like_kube_apiserver_an_issuer_that_is_not_https_gets_no_documents() {
      try (EmbeddedCluster c = EmbeddedCluster.builder().issuer("http://issuer.local").start()) {
        assertThat(c.oidc().servesDocuments()).isFalse();
        assertThat(c.client().raw("/.well-known/openid-configuration")).isNull();
        assertThat(c.client().raw("/openid/v1/jwks")).isNull();
      }
    }

    @Test
    void the_api_discovery_lists_the_token_subresource() throws Exception {
      JsonNode resources = JSON.readTree(client.raw("/api/v1")).get("resources");
      JsonNode token = null;
      for (JsonNode r : resources) {
        if (r.get("name").asText().equals("serviceaccounts/token")) {
          token = r;
        }
      }
      assertThat(token).isNotNull();
      assertThat(token.get("kind").asText()).isEqualTo("TokenRequest");
      assertThat(token.get("group").asText()).isEqualTo("authentication.k8s.io");
      assertThat(token.get("verbs").toString()).isEqualTo("[\"create\"]");
    }
  }

  @Nested
  class Token_requests {
    @Test
    void a_token_request_returns_a_token_shaped_like_a_projected_service_account_token() throws Exception {
      String uid = client.serviceAccounts().inNamespace(NS).withName(SA).get().getMetadata().getUid();
      TokenRequest answer = request(List.of(AUDIENCE), null);

      String token = answer.getStatus().getToken();
      SignedJWT jwt = SignedJWT.parse(token);
      assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
      assertThat(jwt.getHeader().getKeyID()).isEqualTo(cluster.oidc().keyId());
      assertThat(jwt.getHeader().getType()).isNull();
      assertThat(verifies(token, client.raw("/openid/v1/jwks"))).isTrue();

      JsonNode c = claims(token);
      assertThat(c.get("iss").asText()).isEqualTo("https://kubernetes.default.svc.cluster.local");
      assertThat(c.get("sub").asText()).isEqualTo("system:serviceaccount:external-secrets:external-secrets");
      assertThat(c.get("aud").isArray()).as("aud is an array even with one audience").isTrue();
      assertThat(c.get("aud").get(0).asText()).isEqualTo(AUDIENCE);
      assertThat(c.get("exp").asLong() - c.get("iat").asLong()).as("default lifetime").isEqualTo(3600);
      assertThat(c.get("nbf").asLong()).isEqualTo(c.get("iat").asLong());
      assertThat(c.get("iat").asLong()).isBetween(Instant.now().getEpochSecond() - 5, Instant.now().getEpochSecond());
      assertThat(c.get("jti").asText()).hasSize(36);
      JsonNode k8s = c.get("kubernetes.io");
      assertThat(k8s.get("namespace").asText()).isEqualTo(NS);
      assertThat(k8s.at("/serviceaccount/name").asText()).isEqualTo(SA);
      assertThat(k8s.at("/serviceaccount/uid").asText()).isEqualTo(uid);

      assertThat(answer.getSpec().getExpirationSeconds()).isEqualTo(3600L);
      assertThat(Instant.parse(answer.getStatus().getExpirationTimestamp()).getEpochSecond())
          .isEqualTo(c.get("exp").asLong());
      assertThat(cluster.requests()).filteredOn(r -> r.path().endsWith("/token")).singleElement().satisfies(r -> {
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.verb()).isEqualTo("create");
        assertThat(r.resource()).isEqualTo("serviceaccounts");
        assertThat(r.status()).isEqualTo(201);
      });
    }

    @Test
    void without_audiences_the_token_is_for_the_api_server_and_a_lifetime_can_be_asked_for() throws Exception {
      TokenRequest answer = request(List.of(), 7200L);
      JsonNode c = claims(answer.getStatus().getToken());
      assertThat(c.get("aud").toString()).isEqualTo("[\"https://kubernetes.default.svc.cluster.local\"]");
      assertThat(c.get("exp").asLong() - c.get("iat").asLong()).isEqualTo(7200);
    }

    @Test
    void a_lifetime_under_ten_minutes_is_invalid() {
      assertThatThrownBy(() -> request(List.of(AUDIENCE), 599L)).isInstanceOfSatisfying(
          KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(422);
            assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
            assertThat(e.getStatus().getMessage()).isEqualTo("TokenRequest.authentication.k8s.io \"external-secrets\" "
                + "is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 "
                + "minutes");
          });
    }

    @Test
    void a_missing_service_account_is_not_found() {
      assertThatThrownBy(() -> client.serviceAccounts().inNamespace(NS).withName("nobody").tokenRequest(
          new TokenRequestBuilder().withNewSpec().withAudiences(AUDIENCE).endSpec().build()))
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(404);
            assertThat(e.getStatus().getMessage()).isEqualTo("serviceaccounts \"nobody\" not found");
          });
    }

    @Test
    void a_token_bound_to_a_pod_names_the_pod_and_a_missing_pod_is_not_found() throws Exception {
      client.serviceAccounts().inNamespace("default").resource(new ServiceAccountBuilder().withNewMetadata()
          .withName("app").endMetadata().build()).create();
      String podUid = client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata()
          .withName("app-0").endMetadata().withNewSpec().addNewContainer().withName("c").withImage("busybox")
          .endContainer().endSpec().build()).create().getMetadata().getUid();
      TokenRequest bound = client.serviceAccounts().inNamespace("default").withName("app").tokenRequest(
          new TokenRequestBuilder().withNewSpec().withAudiences("vault").withNewBoundObjectRef()
              .withKind("Pod").withApiVersion("v1").withName("app-0").withUid(podUid).endBoundObjectRef()
              .endSpec().build());
      JsonNode pod = claims(bound.getStatus().getToken()).at("/kubernetes.io/pod");
      assertThat(pod.get("name").asText()).isEqualTo("app-0");
      assertThat(pod.get("uid").asText()).isEqualTo(podUid);

      assertThatThrownBy(() -> client.serviceAccounts().inNamespace("default").withName("app").tokenRequest(
          new TokenRequestBuilder().withNewSpec().withNewBoundObjectRef().withKind("Pod").withName("gone")
              .endBoundObjectRef().endSpec().build()))
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }

    @Test
    void a_forbidden_service_account_resource_refuses_token_requests_too() {
      cluster.forbid("", "serviceaccounts");
      assertThatThrownBy(() -> request(List.of(AUDIENCE), null)).isInstanceOfSatisfying(
          KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
  }

  @Nested
  class Keys_and_minting {
    @Test
    void a_rotated_key_leaves_the_jwks_so_an_earlier_jwks_no_longer_verifies_new_tokens() throws Exception {
      OidcIssuer oidc = cluster.oidc();
      String before = oidc.jwksJson();
      String oldKid = oidc.keyId();
      String oldToken = oidc.mint(NS, SA, List.of(AUDIENCE), Duration.ofHours(1));

      oidc.rotateKey();
      String newToken = request(List.of(AUDIENCE), null).getStatus().getToken();
      String after = client.raw("/openid/v1/jwks");

      assertThat(oidc.keyId()).isNotEqualTo(oldKid);
      assertThat(JWKSet.parse(after).getKeyByKeyId(oldKid)).isNull();
      assertThat(verifies(newToken, after)).isTrue();
      assertThat(verifies(newToken, before)).isFalse();
      assertThat(verifies(oldToken, after)).isFalse();
      assertThat(verifies(oldToken, before)).isTrue();
    }

    @Test
    void minted_tokens_carry_the_account_uid_and_can_be_backdated() throws Exception {
      Instant issued = Instant.parse("2026-01-01T00:00:00Z");
      String token = cluster.oidc().mint(NS, SA, List.of("a", "b"), issued, Duration.ofMinutes(10));
      JsonNode c = claims(token);
      assertThat(c.get("iat").asLong()).isEqualTo(issued.getEpochSecond());
      assertThat(c.get("exp").asLong()).isEqualTo(issued.plusSeconds(600).getEpochSecond());
      assertThat(c.get("aud").toString()).isEqualTo("[\"a\",\"b\"]");
      assertThat(c.at("/kubernetes.io/serviceaccount/uid").asText())
          .isEqualTo(client.serviceAccounts().inNamespace(NS).withName(SA).get().getMetadata().getUid());
      assertThat(OidcIssuer.subject(NS, SA)).isEqualTo(c.get("sub").asText());
      assertThatThrownBy(() -> cluster.oidc().mint(NS, SA, List.of("a"), Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_standalone_issuer_needs_no_cluster() throws Exception {
      OidcIssuer oidc = OidcIssuer.create("https://oidc.example.com");
      assertThat(oidc.jwksUri()).isEqualTo("https://oidc.example.com/openid/v1/jwks");
      String token = oidc.mint("ns", "sa", List.of("x"), Duration.ofMinutes(10));
      assertThat(verifies(token, oidc.jwksJson())).isTrue();
      assertThat(claims(token).at("/kubernetes.io/serviceaccount/uid").asText()).hasSize(36);
      assertThat(oidc.toString()).isEqualTo("OidcIssuer[https://oidc.example.com]");
    }
  }
}
