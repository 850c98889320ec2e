package dev.substrate.byo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.substrate.BackendException;
import dev.substrate.SecretStore;
import dev.substrate.SecretStore.PutResult;
import dev.substrate.SecretValue;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = KubernetesSecretStoreTest.NoRetries.class)
class KubernetesSecretStoreTest {
  private static final String NS = "platform-secrets";
  private static final String VALUE = "hf_s3cr3t-token-value";

  KubernetesMockServer server;
  KubernetesClient client;
  private SecretStore store;

  /** Fails fast: the client's own retries of 5xx and 429 would only slow the failure tests down. */
  public static final class NoRetries implements Consumer<KubernetesClientBuilder> {
    @Override
    public void accept(KubernetesClientBuilder builder) {
      builder.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig();
    }
  }

  @BeforeEach
  void setUp() {
    store = Substrates.builder().config(SubstrateConfig.parse("substrate: {id: byo}")).client(client).build()
        .secrets().store();
  }

  @Test
  void putGetListDeleteRoundTrip() {
    assertThat(store.list()).isEmpty();
    assertThat(store.put("hf-token", SecretValue.of(VALUE))).isEqualTo(PutResult.CREATED);
    assertThat(store.put("db-password", SecretValue.of("pw"))).isEqualTo(PutResult.CREATED);
    assertThat(store.get("hf-token")).hasValue(SecretValue.of(VALUE));
    assertThat(store.list()).containsExactly("db-password", "hf-token");

    assertThat(store.put("hf-token", SecretValue.of("rotated"))).isEqualTo(PutResult.UPDATED);
    assertThat(store.get("hf-token")).hasValue(SecretValue.of("rotated"));

    assertThat(store.delete("hf-token")).isTrue();
    assertThat(store.delete("hf-token")).isFalse();
    assertThat(store.get("hf-token")).isEmpty();
    assertThat(store.list()).containsExactly("db-password");
  }

  @Test
  void storesEachSecretAsALabelledSecretWithDataKeyValue() {
    store.put("hf-token", SecretValue.of(VALUE));
    Secret secret = client.secrets().inNamespace(NS).withName("hf-token").get();
    assertThat(secret.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "substrate");
    assertThat(secret.getType()).isEqualTo("Opaque");
    assertThat(secret.getData()).containsOnlyKeys("value");
    assertThat(new String(Base64.getDecoder().decode(secret.getData().get("value")), StandardCharsets.UTF_8))
        .isEqualTo(VALUE);
  }

  @Test
  void anEqualValueIsUnchangedAndNotWritten() {
    store.put("hf-token", SecretValue.of(VALUE));
    String version = client.secrets().inNamespace(NS).withName("hf-token").get().getMetadata().getResourceVersion();
    assertThat(store.put("hf-token", SecretValue.of(VALUE))).isEqualTo(PutResult.UNCHANGED);
    assertThat(client.secrets().inNamespace(NS).withName("hf-token").get().getMetadata().getResourceVersion())
        .isEqualTo(version);
  }

  @Test
  void listsOnlySecretsSubstrateManages() {
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("foreign").endMetadata()
        .addToData("value", Base64.getEncoder().encodeToString("x".getBytes(StandardCharsets.UTF_8))).build()).create();
    store.put("mine", SecretValue.of("y"));
    assertThat(store.list()).containsExactly("mine");
    assertThat(store.get("foreign")).hasValue(SecretValue.of("x"));
  }

  @Test
  void failuresNameTheOperationAndSecretButNeverTheValue() {
    Status echo = new StatusBuilder().withStatus("Failure").withCode(500).withReason("InternalError")
        .withMessage("admission webhook rejected data " + VALUE + " / "
            + Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8)))
        .build();
    server.expect().post().withPath("/api/v1/namespaces/" + NS + "/secrets").andReturn(500, echo).always();

    BackendException e = catchThrowableOfType(BackendException.class, () -> store.put("hf-token", SecretValue.of(VALUE)));

    assertThat(e.providerId()).isEqualTo("kubernetes");
    assertThat(e.operation()).isEqualTo("put");
    assertThat(e.secretName()).hasValue("hf-token");
    assertThat(e.status()).hasValue(500);
    assertThat(e.isTransient()).isTrue();
    assertThat(e.getMessage()).startsWith("kubernetes: put 'hf-token' failed (status 500)");
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).doesNotContain(VALUE)
        .doesNotContain(Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aWriteThatRacedAnotherIsReadAndWrittenAgain() {
    Status conflict = new StatusBuilder().withStatus("Failure").withCode(409).withReason("AlreadyExists").build();
    server.expect().post().withPath("/api/v1/namespaces/" + NS + "/secrets").andReturn(409, conflict).once();
    int before = server.getRequestCount();

    assertThat(store.put("hf-token", SecretValue.of(VALUE))).isEqualTo(PutResult.CREATED);

    assertThat(server.getRequestCount() - before).isEqualTo(4);
    assertThat(store.get("hf-token")).hasValue(SecretValue.of(VALUE));
  }

  @Test
  void conflictsAreRetriedThreeAttemptsInAll() {
    Status conflict = new StatusBuilder().withStatus("Failure").withCode(409).withReason("Conflict").build();
    server.expect().post().withPath("/api/v1/namespaces/" + NS + "/secrets").andReturn(409, conflict).always();
    int before = server.getRequestCount();

    BackendException e = catchThrowableOfType(BackendException.class, () -> store.put("hf-token", SecretValue.of(VALUE)));

    assertThat(server.getRequestCount() - before).isEqualTo(6);
    assertThat(e.status()).hasValue(409);
    assertThat(e.getMessage()).contains("the Secret kept changing while it was written");
  }

  @Test
  void forbiddenIsPermanentAndSaysWhatWasRefused() {
    Status forbidden = new StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden")
        .withMessage("secrets is forbidden").build();
    server.expect().get().withPath("/api/v1/namespaces/" + NS + "/secrets/hf-token").andReturn(403, forbidden).always();

    BackendException e = catchThrowableOfType(BackendException.class, () -> store.get("hf-token"));

    assertThat(e.status()).hasValue(403);
    assertThat(e.isTransient()).isFalse();
    assertThat(e.getMessage()).isEqualTo(
        "kubernetes: get 'hf-token' failed (status 403): the client may not get Secrets in namespace " + NS);
  }

  @Test
  void throttlingIsTransient() {
    server.expect().get().withPath("/api/v1/namespaces/" + NS + "/secrets?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dsubstrate&limit=500")
        .andReturn(429, new StatusBuilder().withCode(429).withReason("TooManyRequests").build()).always();
    BackendException e = catchThrowableOfType(BackendException.class, () -> store.list());
    assertThat(e.status()).hasValue(429);
    assertThat(e.isTransient()).isTrue();
    assertThat(e.secretName()).isEmpty();
  }

  @Test
  void invalidNamesAreRefusedBeforeAnyRequest() {
    BackendException e = catchThrowableOfType(BackendException.class, () -> store.put("HF_TOKEN", SecretValue.of(VALUE)));
    assertThat(e.status()).isEmpty();
    assertThat(e.getMessage()).contains("HF_TOKEN").doesNotContain(VALUE);
    assertThat(client.secrets().inNamespace(NS).list().getItems()).isEmpty();
  }
}
