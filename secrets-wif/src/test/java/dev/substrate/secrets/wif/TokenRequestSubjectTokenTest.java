package dev.substrate.secrets.wif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenRequestSubjectTokenTest {
  private static final String AUDIENCE =
      "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/pool-1/providers/prov-1";
  private static final String PATH = "/api/v1/namespaces/external-secrets/serviceaccounts/eso/token";
  private static final String MINTED = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.bWludGVk";

  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void mintsATokenForThePoolProviderAndExchangesIt() throws Exception {
    server.expect().post().withPath(PATH).andReturn(201, new TokenRequestBuilder().withNewStatus().withToken(MINTED)
        .withExpirationTimestamp("2030-01-01T00:00:00Z").endStatus().build()).always();
    TokenRequestSubjectToken supplier = new TokenRequestSubjectToken(client, "external-secrets", "eso", AUDIENCE,
        Duration.ofHours(1));
    assertThat(supplier.subject()).isEqualTo("system:serviceaccount:external-secrets:eso");
    assertThat(supplier.toString()).doesNotContain(MINTED);

    FederatedCredentialsTest.FakeGoogle google = new FederatedCredentialsTest.FakeGoogle();
    FederatedCredentials creds = FederatedCredentials.builder().audience(AUDIENCE)
        .serviceAccountEmail("eso@acme-ml.iam.gserviceaccount.com").subjectTokenSupplier(supplier)
        .transportFactory(() -> google).build();
    assertThat(creds.token().value()).startsWith("ya29.");
    assertThat(google.stsBodies).singleElement().asString().contains("subject_token=" + MINTED);

    RecordedRequest request = null;
    for (RecordedRequest r; (r = server.takeRequest(1, TimeUnit.SECONDS)) != null; ) {
      if (r.getPath().equals(PATH)) {
        request = r;
      }
    }
    assertThat(request).isNotNull();
    JsonNode body = new ObjectMapper().readTree(request.getBody().readUtf8());
    assertThat(body.at("/spec/audiences/0").asText()).isEqualTo(AUDIENCE);
    assertThat(body.at("/spec/expirationSeconds").asLong()).isEqualTo(3600);
  }

  @Test
  void aRefusalIsNotRetried() {
    server.expect().post().withPath(PATH).andReturn(403, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":"
        + "\"Failure\",\"message\":\"forbidden: cannot create serviceaccounts/token\",\"code\":403}").always();
    FederatedCredentials creds = FederatedCredentials.builder().audience(AUDIENCE)
        .subjectTokenSupplier(new TokenRequestSubjectToken(client, "external-secrets", "eso", AUDIENCE,
            Duration.ofMinutes(10)))
        .transportFactory(FederatedCredentialsTest.FakeGoogle::new).sleeper(d -> { }).build();
    assertThatThrownBy(creds::token).isInstanceOfSatisfying(FederatedTokenException.class, e -> {
      assertThat(e.isTransient()).isFalse();
      assertThat(e.getMessage()).contains("forbidden");
    });
  }

  @Test
  void lifetimesUnderTenMinutesAreRefused() {
    assertThatThrownBy(() -> new TokenRequestSubjectToken(client, "ns", "sa", AUDIENCE, Duration.ofMinutes(9)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("600");
  }
}
