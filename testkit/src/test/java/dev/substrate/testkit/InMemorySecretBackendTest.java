package dev.substrate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.substrate.BackendException;
import dev.substrate.RenderContext;
import dev.substrate.SecretStore;
import dev.substrate.SecretValue;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.spi.SecretBackendProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class InMemorySecretBackendTest {
  @Test
  void isFoundByItsId() {
    assertThat(Substrates.availableIds().get("secret_backend")).contains("fake");
    assertThat(ServiceLoader.load(SecretBackendProvider.class).stream().map(p -> p.get().id())).contains("fake");
  }

  @Test
  void storesValuesAndSaysWhatEachPutDid() {
    InMemorySecretBackend backend = new InMemorySecretBackend();
    SecretStore store = backend.store();
    assertThat(store.put("hf-token", SecretValue.of("hf_abc"))).isEqualTo(SecretStore.PutResult.CREATED);
    assertThat(store.put("hf-token", SecretValue.of("hf_abc"))).isEqualTo(SecretStore.PutResult.UNCHANGED);
    assertThat(store.put("hf-token", SecretValue.of("hf_xyz"))).isEqualTo(SecretStore.PutResult.UPDATED);
    store.put("db-password", SecretValue.of("pw"));
    assertThat(store.list()).containsExactly("db-password", "hf-token");
    assertThat(store.get("hf-token")).hasValueSatisfying(v -> assertThat(v.reveal()).isEqualTo("hf_xyz"));
    assertThat(store.delete("hf-token")).isTrue();
    assertThat(store.get("hf-token")).isEmpty();
    assertThat(backend.operations()).isEqualTo(8);
  }

  @Test
  void anInjectedFaultIsABackendExceptionWithoutTheValue() {
    InMemorySecretBackend backend = new InMemorySecretBackend();
    backend.failNextWith(503);
    BackendException e = catchThrowableOfType(BackendException.class,
        () -> backend.store().put("api-key", SecretValue.of("s3cr3t")));
    assertThat(e.providerId()).isEqualTo("fake");
    assertThat(e.operation()).isEqualTo("put");
    assertThat(e.status()).hasValue(503);
    assertThat(e.isTransient()).isTrue();
    assertThat(e.getMessage()).contains("api-key").doesNotContain("s3cr3t");
  }

  @Test
  void rendersEsosFakeProviderWithNoValues() {
    InMemorySecretBackend backend = new InMemorySecretBackend();
    backend.store().put("token", SecretValue.of("never-rendered"));
    var store = backend.clusterSecretStore(RenderContext.of("byo", SubstrateConfig.defaults()));
    assertThat(store.getMetadata().getName()).isEqualTo("secret-store");
    assertThat(store.getAdditionalProperties().toString()).contains("fake").doesNotContain("never-rendered");
  }
}
