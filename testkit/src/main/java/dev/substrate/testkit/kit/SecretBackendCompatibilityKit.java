package dev.substrate.testkit.kit;

import static dev.substrate.testkit.assertj.SubstrateAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.substrate.BackendException;
import dev.substrate.FacetType;
import dev.substrate.Rendering;
import dev.substrate.SecretBackend;
import dev.substrate.SecretStore;
import dev.substrate.SecretStore.PutResult;
import dev.substrate.SecretValue;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The compatibility kit for {@link SecretBackendProvider}s: besides what every facet promises, a backend renders
 * exactly the ClusterSecretStore {@value SecretBackend#STORE_NAME}, round-trips values through its {@link SecretStore},
 * never shows a value in what it returns or throws, and maps its errors to {@link BackendException}.
 *
 * <pre>{@code
 * class VaultBackendKitTest extends SecretBackendCompatibilityKit {
 *   static FakeVault vault = FakeVault.start();
 *   protected SecretBackendProvider provider() { return new VaultBackendProvider(); }
 *   protected ProviderContext context() {
 *     return new ProviderContext(SubstrateConfig.parse("vault: {address: '" + vault.url() + "'}"), "byo", null);
 *   }
 *   protected void failNextOperation(int status) { vault.failNext(status); }
 * }
 * }</pre>
 *
 * <p>Secret names the kit writes start with {@link #namePrefix()}; it deletes them again.
 */
public abstract class SecretBackendCompatibilityKit extends FacetCompatibilityKit<SecretBackendProvider, SecretBackend> {
  /** Distinctive, so that finding it anywhere it must not be is unambiguous. */
  protected static final String VALUE = "zebra-7f3c-KIT-SECRET-91a";

  private final String prefix = "kit-" + UUID.randomUUID().toString().substring(0, 8) + "-";

  @Override
  protected final Class<SecretBackendProvider> spi() {
    return SecretBackendProvider.class;
  }

  @Override
  protected SecretBackend create(SecretBackendProvider provider, ProviderContext context) {
    return provider.create(context);
  }

  /**
   * Makes the backend's next store operation fail with {@code status} (an HTTP status where the backend speaks HTTP).
   * Backends whose fakes cannot inject failures leave this as is, and the error mapping tests are skipped, saying so;
   * a fake that can inject only some statuses calls {@link Assumptions#abort(String)} for the others. A backend that
   * retries transient failures should fail every attempt of the next operation, and clear it in {@link #clearFailures()}.
   */
  protected void failNextOperation(int status) {
    Assumptions.abort("the subclass of " + getClass().getSimpleName()
        + " cannot inject failures: override failNextOperation(int) to test error mapping");
  }

  /** Undoes {@link #failNextOperation} where the injected failure could outlive the operation; by default nothing. */
  protected void clearFailures() {}

  /** The prefix of the secret names the kit writes; unique per test instance. */
  protected String namePrefix() {
    return prefix;
  }

  private String name(String suffix) {
    return namePrefix() + suffix;
  }

  private String who() {
    return "secret backend '" + provider().id() + "'";
  }

  private static void assertNoValue(Object returned, String what) {
    if (returned == null) {
      return;
    }
    String text = String.valueOf(returned);
    assertFalse(text.contains(VALUE), what + " exposes the secret value in its toString: " + text.replace(VALUE, "<VALUE>"));
  }

  private static void assertNoValue(Throwable e, String what) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertFalse(trace.toString().contains(VALUE), what + " exposes the secret value in its message or stack trace: "
        + trace.toString().replace(VALUE, "<VALUE>"));
  }

  private <T> T returned(Supplier<T> call, String what) {
    try {
      T result = call.get();
      assertNoValue(result, what);
      return result;
    } catch (BackendException e) {
      assertNoValue(e, what);
      throw e;
    }
  }

  @Nested
  class The_cluster_secret_store {
    @Test
    void is_the_only_resource_rendered() {
      List<HasMetadata> resources = facet().resources(renderContext());
      GenericKubernetesResource store = facet().clusterSecretStore(renderContext());
      long stores = resources.stream().filter(r -> "ClusterSecretStore".equals(r.getKind())).count();
      assertEquals(1, stores, who() + " must render exactly one ClusterSecretStore, rendered " + stores);
      assertEquals(1, resources.size(), who() + " renders more than the ClusterSecretStore: "
          + resources.stream().map(r -> r.getKind() + " " + r.getMetadata().getName()).toList()
          + "; what a backend needs beside it is a capability with a remedy");
      assertEquals(new Rendering(List.of(store)).files(), new Rendering(resources).files(),
          "resources() of " + who() + " differ from clusterSecretStore()");
    }

    @Test
    void is_named_secret_store_with_api_version_external_secrets_io_v1() {
      GenericKubernetesResource store = facet().clusterSecretStore(renderContext());
      assertThat(new Rendering(List.of(store))).as(who()).resource("ClusterSecretStore", SecretBackend.STORE_NAME)
          .hasApiVersion("external-secrets.io/v1").isClusterScoped();
      assertTrue(store.getAdditionalProperties().get("spec") != null, "the ClusterSecretStore of " + who() + " has no spec");
    }

    @Test
    void is_a_secret_backend_facet() {
      assertEquals(FacetType.SECRET_BACKEND, facet().type(), who() + " makes a facet of the wrong type");
    }
  }

  @Nested
  class The_store {
    @Test
    void puts_a_new_secret_as_created_an_equal_one_as_unchanged_and_a_different_one_as_updated() {
      SecretStore store = facet().store();
      String name = name("round-trip");
      try {
        assertEquals(PutResult.CREATED, returned(() -> store.put(name, SecretValue.of(VALUE)), "put"),
            "putting a new secret into " + who());
        assertEquals(PutResult.UNCHANGED, returned(() -> store.put(name, SecretValue.of(VALUE)), "put"),
            "putting an equal value into " + who());
        assertEquals(PutResult.UPDATED, returned(() -> store.put(name, SecretValue.of(VALUE + "-2")), "put"),
            "putting a different value into " + who());
      } finally {
        store.delete(name);
      }
    }

    @Test
    void gets_back_the_latest_value_and_nothing_for_an_unknown_name() {
      SecretStore store = facet().store();
      String name = name("get");
      try {
        store.put(name, SecretValue.of(VALUE));
        Optional<SecretValue> got = returned(() -> store.get(name), "get");
        assertTrue(got.isPresent(), who() + " does not return a secret it stored");
        assertEquals(VALUE, got.get().reveal(), who() + " returns a different value than it stored");
        store.put(name, SecretValue.ofBytes(new byte[] {0, 1, (byte) 0xff, 'x'}));
        assertEquals(List.of((byte) 0, (byte) 1, (byte) 0xff, (byte) 'x'),
            bytes(store.get(name).orElseThrow().revealBytes()), who() + " does not round-trip binary values");
        assertEquals(Optional.empty(), returned(() -> store.get(name("never-written")), "get"),
            who() + " must return empty for a secret that does not exist");
      } finally {
        store.delete(name);
      }
    }

    @Test
    void lists_names_sorted_and_deletes_them() {
      SecretStore store = facet().store();
      String a = name("list-a");
      String b = name("list-b");
      try {
        store.put(b, SecretValue.of(VALUE));
        store.put(a, SecretValue.of(VALUE));
        List<String> names = returned(store::list, "list");
        assertTrue(names.contains(a) && names.contains(b), who() + " does not list what it stored: " + names);
        assertTrue(names.indexOf(a) < names.indexOf(b), who() + " must list names sorted: " + names);
        assertTrue(returned(() -> store.delete(a), "delete"), who() + " must return true deleting an existing secret");
        assertFalse(store.delete(a), who() + " must return false deleting a secret that no longer exists");
        assertFalse(store.list().contains(a), who() + " still lists a deleted secret");
        assertEquals(Optional.empty(), store.get(a), who() + " still returns a deleted secret");
      } finally {
        store.delete(a);
        store.delete(b);
      }
    }
  }

  @Nested
  class Secret_values {
    @Test
    void never_show_in_the_toString_of_the_backend_the_store_or_what_they_return() {
      SecretStore store = facet().store();
      String name = name("redaction");
      try {
        store.put(name, SecretValue.of(VALUE));
        Optional<SecretValue> got = store.get(name);
        assertNoValue(got, "the Optional<SecretValue> that get returns");
        got.ifPresent(v -> assertNoValue(v, "the SecretValue that get returns"));
        assertNoValue(store, "the store of " + who() + " after a put");
        assertNoValue(facet(), who());
        assertNoValue(store.list(), "list");
        assertNoValue(facet().capabilities(), "the capabilities of " + who());
        assertNoValue(new Rendering(facet().resources(renderContext())).toYaml(), "the rendered resources of " + who());
      } finally {
        store.delete(name);
      }
    }

    @Test
    void never_show_in_what_the_backend_prints_or_logs_to_standard_output_or_error() {
      java.io.PrintStream out = System.out;
      java.io.PrintStream err = System.err;
      java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
      java.io.PrintStream tee = new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8);
      String name = name("redaction-logs");
      try {
        System.setOut(tee);
        System.setErr(tee);
        SecretStore store = facet().store();
        store.put(name, SecretValue.of(VALUE));
        store.put(name, SecretValue.of(VALUE));
        store.get(name);
        store.list();
        store.delete(name);
      } finally {
        System.setOut(out);
        System.setErr(err);
      }
      String printed = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
      out.print(printed);
      assertFalse(printed.contains(VALUE), who() + " prints or logs the secret value: " + printed.replace(VALUE, "<VALUE>"));
    }

    @Test
    void never_show_in_exception_messages() {
      SecretStore store = facet().store();
      String name = name("redaction-failure");
      failNextOperation(403);
      try {
        store.put(name, SecretValue.of(VALUE));
        fail(who() + " did not fail after failNextOperation(403)");
      } catch (RuntimeException e) {
        assertNoValue(e, "the exception " + who() + " throws on a failed put");
      } finally {
        clearFailures();
        store.delete(name);
      }
    }
  }

  @Nested
  class Backend_errors {
    @Test
    void like_permission_denied_are_backend_exceptions_that_name_the_provider_the_operation_and_the_status() {
      BackendException e = failing(403, "get", store -> store.get(name("error-mapping")));
      assertFalse(e.isTransient(), who() + " must not mark status 403 as transient: " + e.getMessage());
    }

    @Test
    void like_an_internal_error_are_backend_exceptions_that_name_the_provider_and_the_operation() {
      failing(500, "list", SecretStore::list);
    }

    @Test
    void like_unavailable_are_marked_transient() {
      BackendException e = failing(503, "put", store -> store.put(name("error-mapping"), SecretValue.of(VALUE)));
      assertTrue(e.isTransient(), who() + " must mark status 503 as transient: " + e.getMessage());
    }

    private BackendException failing(int status, String operation, java.util.function.Consumer<SecretStore> call) {
      SecretStore store = facet().store();
      failNextOperation(status);
      RuntimeException thrown = null;
      try {
        call.accept(store);
      } catch (RuntimeException e) {
        thrown = e;
      } finally {
        clearFailures();
      }
      assertNotNull(thrown, who() + " did not fail its " + operation + " after failNextOperation(" + status + ")");
      if (!(thrown instanceof BackendException)) {
        fail(who() + " must map a failed " + operation + " (status " + status + ") to BackendException, threw "
            + thrown, thrown);
      }
      BackendException e = (BackendException) thrown;
      assertNoValue(e, "the BackendException of " + who());
      assertEquals(provider().id(), e.providerId(), "the BackendException of " + who() + " names the wrong provider");
      assertEquals(operation, e.operation(), "the BackendException of " + who() + " names the wrong operation");
      assertTrue(e.getMessage().contains(provider().id()), "the message of the BackendException of " + who()
          + " does not name the provider: " + e.getMessage());
      assertEquals(java.util.OptionalInt.of(status), e.status(),
          "the BackendException of " + who() + " does not carry the backend's status");
      return e;
    }
  }

  private static List<Byte> bytes(byte[] array) {
    Byte[] boxed = new Byte[array.length];
    for (int i = 0; i < array.length; i++) {
      boxed[i] = array[i];
    }
    return List.of(boxed);
  }
}
