package dev.substrate.byo.internal;

import dev.substrate.spi.Resources;
import dev.substrate.spi.Retry;
import dev.substrate.BackendException;
import dev.substrate.SecretStore;
import dev.substrate.SecretValue;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Secrets as Kubernetes Secrets in one namespace, one Secret per secret with the value under data key
 * {@value #KEY}, labelled {@code app.kubernetes.io/managed-by: substrate}. Values never reach a message.
 */
final class KubernetesSecretStore implements SecretStore {
  static final String KEY = "value";
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  /** A write that raced another (409 Conflict) is read and written again, three attempts in all. */
  private static final Retry CONFLICTS =
      Retry.of(3, e -> e instanceof KubernetesClientException k && k.getCode() == 409);

  private final KubernetesClient client;
  private final String namespace;

  KubernetesSecretStore(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  @Override
  public PutResult put(String name, SecretValue value) {
    requireName("put", name);
    String encoded = Base64.getEncoder().encodeToString(value.revealBytes());
    try {
      return CONFLICTS.call(() -> putOnce(name, value, encoded));
    } catch (KubernetesClientException e) {
      throw failure("put", name, e, value, encoded);
    }
  }

  private PutResult putOnce(String name, SecretValue value, String encoded) {
    Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
    if (existing == null) {
      client.secrets().inNamespace(namespace).resource(new SecretBuilder()
          .withNewMetadata().withName(name).withNamespace(namespace).withLabels(Resources.managedLabels())
          .endMetadata()
          .withType("Opaque")
          .withData(Map.of(KEY, encoded))
          .build()).create();
      return PutResult.CREATED;
    }
    if (decode(existing).filter(value::equals).isPresent()) {
      return PutResult.UNCHANGED;
    }
    Secret updated = new SecretBuilder(existing)
        .editMetadata().addToLabels(Resources.MANAGED_BY, Resources.SUBSTRATE).endMetadata()
        .addToData(KEY, encoded)
        .build();
    client.secrets().inNamespace(namespace).resource(updated).update();
    return PutResult.UPDATED;
  }

  @Override
  public Optional<SecretValue> get(String name) {
    requireName("get", name);
    Secret secret = call("get", name, () -> client.secrets().inNamespace(namespace).withName(name).get());
    return secret == null ? Optional.empty() : decode(secret);
  }

  @Override
  public List<String> list() {
    List<String> names = new ArrayList<>();
    String continueToken = null;
    do {
      String token = continueToken;
      SecretList page = call("list", null, () -> client.secrets().inNamespace(namespace)
          .withLabel(Resources.MANAGED_BY, Resources.SUBSTRATE)
          .list(new ListOptionsBuilder().withLimit(500L).withContinue(token).build()));
      page.getItems().forEach(s -> names.add(s.getMetadata().getName()));
      continueToken = page.getMetadata() == null ? null : page.getMetadata().getContinue();
    } while (continueToken != null && !continueToken.isEmpty());
    names.sort(null);
    return names;
  }

  @Override
  public boolean delete(String name) {
    requireName("delete", name);
    return call("delete", name, () -> !client.secrets().inNamespace(namespace).withName(name).delete().isEmpty());
  }

  private <T> T call(String operation, String name, Supplier<T> request) {
    try {
      return request.get();
    } catch (KubernetesClientException e) {
      throw failure(operation, name, e, null, null);
    }
  }

  private static Optional<SecretValue> decode(Secret secret) {
    if (secret.getData() != null && secret.getData().containsKey(KEY)) {
      return Optional.of(SecretValue.ofBytes(Base64.getDecoder().decode(secret.getData().get(KEY))));
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(KEY)) {
      return Optional.of(SecretValue.of(secret.getStringData().get(KEY)));
    }
    return Optional.empty();
  }

  private void requireName(String operation, String name) {
    if (name == null || name.length() > 253 || !NAME.matcher(name).matches()) {
      throw new BackendException(KubernetesSecretBackendProvider.ID, operation, name, 0, false,
          "a Secret name must be lowercase letters, digits, '-' and '.', at most 253 characters", null);
    }
  }

  /**
   * The exception for a failed call, naming the namespace and what the status means. The cause is kept only when
   * nothing in it carries the value, in the clear or base64-encoded.
   */
  private BackendException failure(
      String operation, String name, KubernetesClientException e, SecretValue value, String encoded) {
    int status = e.getCode();
    boolean transientFailure = status >= 500 || status == 429 || (status == 0 && e.getCause() != null);
    String detail;
    switch (status) {
      case 401:
        detail = "the cluster did not accept the client's credentials";
        break;
      case 403:
        detail = "the client may not " + operation + " Secrets in namespace " + namespace;
        break;
      case 404:
        detail = "namespace " + namespace + " does not exist";
        break;
      case 409:
        detail = "the Secret kept changing while it was written; retry";
        break;
      case 429:
        detail = "the API server is throttling requests";
        break;
      case 0:
        detail = "the API server could not be reached";
        break;
      default:
        detail = Optional.ofNullable(e.getStatus()).map(s -> s.getReason()).filter(r -> r != null && !r.isBlank())
            .map(r -> r + " in namespace " + namespace).orElse("in namespace " + namespace);
    }
    Throwable cause = value == null || !mentions(e, value, encoded) ? e : null;
    return new BackendException(KubernetesSecretBackendProvider.ID, operation, name, status, transientFailure, detail,
        cause);
  }

  private static boolean mentions(Throwable e, SecretValue value, String encoded) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    String text = trace.toString();
    String plain = new String(value.revealBytes(), StandardCharsets.UTF_8);
    return (!plain.isEmpty() && text.contains(plain)) || (!encoded.isEmpty() && text.contains(encoded));
  }
}
