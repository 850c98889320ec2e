package dev.substrate.cloudfakes.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.substrate.cloudfakes.Journal;
import dev.substrate.cloudfakes.TestTls;
import dev.substrate.kubefake.OidcIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FakeVault answers as Vault's HTTP API does, over HTTPS. */
class FakeVaultTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().sslContext(TestTls.clientContext()).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OidcIssuer CLUSTER = OidcIssuer.create("https://kubernetes.default.svc.cluster.local");

  private static HttpResponse<String> call(FakeVault vault, String method, String path, String token,
      String namespace, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(vault.url() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("X-Vault-Token", token);
    }
    if (namespace != null) {
      b.header("X-Vault-Namespace", namespace);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void kubernetesLoginChecksTheRoleTheSignatureTheAudienceAndTheBoundServiceAccount() throws Exception {
    try (FakeVault vault = FakeVault.builder().kubernetesRole("eso", CLUSTER.jwksJson(), List.of("external-secrets"),
        List.of("external-secrets"), "vault").start()) {
      String good = CLUSTER.mint("external-secrets", "external-secrets", List.of("vault"), Duration.ofHours(1));
      HttpResponse<String> ok = call(vault, "POST", "/v1/auth/kubernetes/login", null, null,
          "{\"role\":\"eso\",\"jwt\":\"" + good + "\"}");
      assertThat(ok.statusCode()).isEqualTo(200);
      JsonNode auth = JSON.readTree(ok.body()).path("auth");
      assertThat(auth.path("lease_duration").asLong()).isEqualTo(3600);
      String token = auth.path("client_token").asText();
      assertThat(call(vault, "LIST", "/v1/secret/metadata/", token, null, null).statusCode()).isEqualTo(404);

      String otherNamespace = CLUSTER.mint("default", "external-secrets", List.of("vault"), Duration.ofHours(1));
      assertThat(call(vault, "POST", "/v1/auth/kubernetes/login", null, null,
          "{\"role\":\"eso\",\"jwt\":\"" + otherNamespace + "\"}").body()).contains("namespace not authorized");
      assertThat(call(vault, "POST", "/v1/auth/kubernetes/login", null, null,
          "{\"role\":\"other\",\"jwt\":\"" + good + "\"}").body()).contains("invalid role name \\\"other\\\"");
      assertThat(vault.logins()).containsExactly("kubernetes:eso");
      assertThat(vault.journal().requests()).extracting(Journal.Request::toString).allMatch(r -> !r.contains(good));
    }
  }

  @Test
  void issuedTokensExpireAndLiveInTheNamespaceOfTheFake() throws Exception {
    Instant[] now = {Instant.parse("2026-03-01T00:00:00Z")};
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    };
    try (FakeVault vault = FakeVault.builder().namespace("team-a").clock(clock).tokenTtl(Duration.ofMinutes(5))
        .appRole("seeder", "r-1", "s-1").start()) {
      HttpResponse<String> login = call(vault, "POST", "/v1/auth/approle/login", null, "team-a/",
          "{\"role_id\":\"r-1\",\"secret_id\":\"s-1\"}");
      String token = JSON.readTree(login.body()).path("auth").path("client_token").asText();
      assertThat(call(vault, "POST", "/v1/secret/data/db", token, "team-a", "{\"data\":{\"value\":\"v\"}}")
          .statusCode()).isEqualTo(200);
      assertThat(call(vault, "GET", "/v1/secret/data/db", token, null, null).statusCode()).isEqualTo(404);
      now[0] = now[0].plus(Duration.ofMinutes(6));
      assertThat(call(vault, "GET", "/v1/secret/data/db", token, "team-a", null).body())
          .isEqualTo("{\"errors\":[\"permission denied\"]}");
      assertThat(call(vault, "POST", "/v1/auth/approle/login", null, "team-a",
          "{\"role_id\":\"r-1\",\"secret_id\":\"wrong\"}").body()).contains("invalid role or secret ID");
      assertThat(vault.namespaces()).containsExactly("team-a/", "team-a", "", "team-a", "team-a");
    }
  }
}
