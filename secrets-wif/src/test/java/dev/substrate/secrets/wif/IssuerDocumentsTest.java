package dev.substrate.secrets.wif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.substrate.SubstrateException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IssuerDocumentsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ISSUER = "https://oidc.acme.example";
  private static RSAKey rsa;
  private static ECKey ec;

  @TempDir Path dir;

  @BeforeAll
  static void keys() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
        .generate();
  }

  static String discovery(String issuer, String jwksUri, String algs) {
    return "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + jwksUri + "\",\"response_types_supported\":[\"id_token\"],"
        + "\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[" + algs + "]}";
  }

  static String jwks(JWK... keys) {
    return new JWKSet(List.of(keys)).toString(false);
  }

  private static String publicJwks() {
    return jwks(rsa.toPublicJWK(), ec.toPublicJWK());
  }

  @Test
  void soundDocumentsHaveNoProblemsAndArePublishedForTheIssuerUrl() throws Exception {
    IssuerDocuments docs = IssuerDocuments.of(discovery(ISSUER, ISSUER + "/openid/v1/jwks", "\"RS256\",\"ES256\""),
        publicJwks());
    assertThat(docs.problems()).isEmpty();
    assertThat(docs.advice()).isEmpty();
    List<Path> files = docs.publish(dir);
    assertThat(files).containsExactly(dir.resolve(".well-known/openid-configuration"), dir.resolve("openid/v1/jwks"));
    JsonNode d = JSON.readTree(files.get(0).toFile());
    assertThat(d.get("issuer").asText()).isEqualTo(ISSUER);
    JWKSet published = JWKSet.parse(Files.readString(files.get(1)));
    assertThat(published.getKeys()).extracting(JWK::getKeyID).containsExactly("rsa-1", "ec-1");
    assertThat(published.getKeys()).noneMatch(JWK::isPrivate);
    assertThat(published.getKeyByKeyId("rsa-1").toRSAKey().getModulus()).isEqualTo(rsa.getModulus());
  }

  @Test
  void readsThroughTheKubernetesClient() {
    KubernetesMockServer server = new KubernetesMockServer(false);
    server.init();
    try (KubernetesClient client = server.createClient()) {
      server.expect().get().withPath("/.well-known/openid-configuration")
          .andReturn(200, discovery(ISSUER, ISSUER + "/openid/v1/jwks", "\"RS256\",\"ES256\"")).always();
      server.expect().get().withPath("/openid/v1/jwks").andReturn(200, publicJwks()).always();
      IssuerDocuments docs = IssuerDocuments.read(client);
      assertThat(docs.issuer()).isEqualTo(ISSUER);
      assertThat(docs.keys().getKeys()).hasSize(2);
      assertThat(docs.problems()).isEmpty();
    } finally {
      server.destroy();
    }
  }

  @Test
  void aMissingDocumentSaysWhy() {
    KubernetesMockServer server = new KubernetesMockServer(false);
    server.init();
    try (KubernetesClient client = server.createClient()) {
      assertThatThrownBy(() -> IssuerDocuments.read(client)).isInstanceOf(SubstrateException.class)
          .hasMessageContaining("/.well-known/openid-configuration")
          .hasMessageContaining("--service-account-issuer");
    } finally {
      server.destroy();
    }
  }

  @Test
  void privateKeysDuplicateKidsAndMismatchedAlgorithmsAreCaught() throws Exception {
    ECKey p384AsEs256 = new ECKeyGenerator(Curve.P_384).keyID("ec-2").algorithm(JWSAlgorithm.ES256).generate()
        .toPublicJWK();
    RSAKey duplicate = new RSAKeyGenerator(2048).keyID("rsa-1").algorithm(JWSAlgorithm.RS256).generate().toPublicJWK();
    RSAKey noKid = new RSAKeyGenerator(2048).algorithm(JWSAlgorithm.RS256).generate().toPublicJWK();
    RSAKey rsaAsEs = new RSAKeyGenerator(2048).keyID("rsa-3").algorithm(JWSAlgorithm.ES256).generate().toPublicJWK();
    String jwks = "{\"keys\":[" + rsa.toJSONString() + "," + p384AsEs256.toJSONString() + ","
        + duplicate.toJSONString() + "," + noKid.toJSONString() + "," + rsaAsEs.toJSONString() + "]}";
    IssuerDocuments docs = IssuerDocuments.of(discovery(ISSUER, ISSUER + "/openid/v1/jwks", "\"RS256\""), jwks);
    assertThat(docs.problems()).anyMatch(p -> p.contains("'rsa-1' carries private key material"))
        .anyMatch(p -> p.contains("kid 'rsa-1' is used by more than one key"))
        .anyMatch(p -> p.contains("has no kid"))
        .anyMatch(p -> p.contains("'ec-2' has alg ES256") && p.contains("P-384"))
        .anyMatch(p -> p.contains("'rsa-3' has alg ES256"));
    assertThat(String.join("\n", docs.problems())).doesNotContain(rsa.getPrivateExponent().toString());
    assertThatThrownBy(() -> docs.publish(dir)).isInstanceOf(SubstrateException.class);
    assertThat(dir.resolve(".well-known")).doesNotExist();
  }

  @Test
  void theIssuerAndDiscoveryFieldsAreChecked() {
    IssuerDocuments docs = IssuerDocuments.of("{\"issuer\":\"http://oidc.acme.example?x=1#f\",\"jwks_uri\":"
        + "\"http://oidc.acme.example/openid/v1/jwks\",\"response_types_supported\":[\"code\"]}", publicJwks());
    assertThat(docs.problems()).anyMatch(p -> p.contains("is not https"))
        .anyMatch(p -> p.contains("has a query"))
        .anyMatch(p -> p.contains("has a fragment"))
        .anyMatch(p -> p.startsWith("jwks_uri") && p.contains("not https"))
        .anyMatch(p -> p.contains("response_types_supported must list id_token"))
        .anyMatch(p -> p.contains("subject_types_supported must list public"))
        .anyMatch(p -> p.contains("id_token_signing_alg_values_supported is missing"));
    assertThat(IssuerDocuments.of("not json", "{}").problems())
        .anyMatch(p -> p.contains("not JSON")).anyMatch(p -> p.contains("no keys"));
  }

  @Test
  void advertisedAlgorithmsMustMatchTheKeys() {
    IssuerDocuments docs = IssuerDocuments.of(discovery(ISSUER, ISSUER + "/openid/v1/jwks", "\"RS256\",\"PS512\""),
        publicJwks());
    assertThat(docs.problems()).anyMatch(p -> p.contains("uses ES256") && p.contains("does not list"))
        .anyMatch(p -> p.contains("lists PS512 but no key uses it"));
  }

  @Test
  void aPrivateIssuerGetsAdvice() {
    String inCluster = "https://kubernetes.default.svc.cluster.local";
    IssuerDocuments docs = IssuerDocuments.of(discovery(inCluster, "https://10.0.0.1:6443/openid/v1/jwks",
        "\"RS256\",\"ES256\""), publicJwks());
    assertThat(docs.problems()).isEmpty();
    assertThat(docs.advice()).anyMatch(a -> a.contains("--service-account-issuer=https://")
            && a.contains("--service-account-jwks-uri="))
        .anyMatch(a -> a.contains("--jwk-json-path=jwks.json") && a.contains("--issuer-uri=" + inCluster));
    assertThat(IssuerDocuments.isPublicHttps("https://10.0.0.1")).isFalse();
    assertThat(IssuerDocuments.isPublicHttps("https://127.0.0.1:6443")).isFalse();
    assertThat(IssuerDocuments.isPublicHttps("https://oidc.acme.example/cluster-1")).isTrue();

    IssuerDocuments elsewhere = IssuerDocuments.of(discovery(ISSUER, "https://203.0.113.7:6443/openid/v1/jwks",
        "\"RS256\",\"ES256\""), publicJwks());
    assertThat(elsewhere.advice()).singleElement().asString()
        .contains("--service-account-jwks-uri=" + ISSUER + "/openid/v1/jwks");
  }
}
