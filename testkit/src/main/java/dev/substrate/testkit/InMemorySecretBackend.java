package dev.substrate.testkit;

import dev.substrate.BackendException;
import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.RenderContext;
import dev.substrate.SecretBackend;
import dev.substrate.SecretStore;
import dev.substrate.SecretValue;
import dev.substrate.spi.Check;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A secret backend that keeps secrets in memory, for tests; id {@code fake}. It renders ESO's {@code fake} provider
 * with no data (values never reach a rendered file) and counts the operations made against its store.
 *
 * <pre>{@code
 * InMemorySecretBackend backend = new InMemorySecretBackend();
 * Substrate s = Substrates.builder().config(config).secretBackend(backend).build();
 * s.secrets().store().put("hf-token", SecretValue.of("..."));
 * }</pre>
 */
public final class InMemorySecretBackend implements SecretBackend {
  public static final String ID = "fake";

  private final Map<String, SecretValue> secrets = new ConcurrentHashMap<>();
  private final AtomicInteger operations = new AtomicInteger();
  private final Store store = new Store();
  private volatile String failNext;

  @Override
  public String id() {
    return ID;
  }

  @Override
  public List<Capability> capabilities() {
    return List.of(
        Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.SUPPORTED, "secrets live in memory; nothing to authenticate", null),
        Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS).state(CapabilityState.SUPPORTED)
            .reason("the in-memory backend needs no credential").count(0).build());
  }

  @Override
  public GenericKubernetesResource clusterSecretStore(RenderContext context) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("external-secrets.io/v1")
        .withKind("ClusterSecretStore")
        .withNewMetadata().withName(STORE_NAME).addToLabels("app.kubernetes.io/managed-by", "substrate").endMetadata()
        .addToAdditionalProperties("spec", Map.of("provider", Map.of("fake", Map.of("data", List.of()))))
        .build();
  }

  @Override
  public List<Check> checks() {
    return List.of();
  }

  @Override
  public SecretStore store() {
    return store;
  }

  /** Operations made against {@link #store()} so far. */
  public int operations() {
    return operations.get();
  }

  /** Makes the next store operation fail with a {@link BackendException} of {@code status}. */
  public void failNextWith(int status) {
    failNext = String.valueOf(status);
  }

  private final class Store implements SecretStore {
    @Override
    public PutResult put(String name, SecretValue value) {
      begin("put", name);
      SecretValue old = secrets.put(name, value);
      return old == null ? PutResult.CREATED : old.equals(value) ? PutResult.UNCHANGED : PutResult.UPDATED;
    }

    @Override
    public Optional<SecretValue> get(String name) {
      begin("get", name);
      return Optional.ofNullable(secrets.get(name));
    }

    @Override
    public List<String> list() {
      begin("list", null);
      return new ArrayList<>(new TreeMap<>(secrets).keySet());
    }

    @Override
    public boolean delete(String name) {
      begin("delete", name);
      return secrets.remove(name) != null;
    }

    private void begin(String operation, String name) {
      operations.incrementAndGet();
      String status = failNext;
      if (status != null) {
        failNext = null;
        int code = Integer.parseInt(status);
        throw new BackendException(ID, operation, name, code, code >= 500 || code == 429, "injected fault", null);
      }
    }
  }
}
