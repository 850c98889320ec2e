package dev.substrate.spi.checks;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CheckResult;
import dev.substrate.ClusterSnapshot;
import dev.substrate.Profile;
import dev.substrate.ResourceKind;
import dev.substrate.SecretBackend;
import dev.substrate.SubstrateConfig;
import dev.substrate.spi.Resources;
import dev.substrate.spi.Check;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Doctor checks every secret backend shares: External Secrets Operator's CRDs, the one ClusterSecretStore
 * {@value SecretBackend#STORE_NAME} being Ready, and how many long-lived credentials the backend needs.
 *
 * <pre>{@code
 * public List<Check> checks() {
 *   return ExternalSecretsChecks.forBackend(this, "vault");
 * }
 * }</pre>
 */
public final class ExternalSecretsChecks {
  public static final String CRDS = "eso.crds";
  public static final String STORE_READY = "eso.store-ready";
  public static final String LONG_LIVED = "secrets.long-lived-credentials";
  public static final String VERSION = "eso.version";

  /** The CRDs the platform's secrets need, served at {@code external-secrets.io/v1}. */
  public static final List<String> REQUIRED_CRDS =
      List.of("clustersecretstores.external-secrets.io", "externalsecrets.external-secrets.io");

  private static final String INSTALL_ESO = "install External Secrets Operator v0.16 or newer: helm repo add "
      + "external-secrets https://charts.external-secrets.io && helm install external-secrets "
      + "external-secrets/external-secrets -n external-secrets --create-namespace";
  private static final String DESCRIBE_STORE = "kubectl describe clustersecretstore " + SecretBackend.STORE_NAME;

  /** A release tag such as {@code v0.20.2}, {@code 2.9.0} or {@code v2.9.0-ubi}. */
  private static final Pattern RELEASE = Pattern.compile("^v?(\\d+)\\.(\\d+)\\.(\\d+)(?:$|[-+])");

  private ExternalSecretsChecks() {}

  /** The three checks for {@code backend}, without checking which ESO provider the live store uses. */
  public static List<Check> forBackend(SecretBackend backend) {
    return List.of(crds(), storeReady(Optional.empty()), longLived(backend));
  }

  /**
   * The three checks for {@code backend}, whose ClusterSecretStore uses ESO provider {@code esoProvider}
   * ({@code kubernetes}, {@code gcpsm}, {@code vault}...): a live store of another provider fails. Long-lived
   * credentials are judged as outside {@code prod}; pass the config to judge them by its profile.
   */
  public static List<Check> forBackend(SecretBackend backend, String esoProvider) {
    return forBackend(backend, esoProvider, SubstrateConfig.defaults());
  }

  /** As {@link #forBackend(SecretBackend, String)}, judging long-lived credentials by {@code config}'s profile. */
  public static List<Check> forBackend(SecretBackend backend, String esoProvider, SubstrateConfig config) {
    return List.of(crds(), storeReady(Optional.of(esoProvider)), longLived(backend, config));
  }

  /** {@value #CRDS}: ESO's ClusterSecretStore and ExternalSecret CRDs exist and serve {@code v1}. */
  public static Check crds() {
    return Check.of(CRDS, Set.of(ResourceKind.CUSTOM_RESOURCE_DEFINITIONS), snapshot -> {
      List<String> missing = new ArrayList<>();
      List<String> notServingV1 = new ArrayList<>();
      for (String name : REQUIRED_CRDS) {
        Optional<GenericKubernetesResource> crd = snapshot.list(ResourceKind.CUSTOM_RESOURCE_DEFINITIONS).stream()
            .filter(c -> name.equals(c.getMetadata().getName())).findFirst();
        if (crd.isEmpty()) {
          missing.add(name);
        } else if (!servesV1(crd.get())) {
          notServingV1.add(name);
        }
      }
      if (!missing.isEmpty()) {
        return CheckResult.fail(CRDS, "External Secrets Operator is not installed: CRD " + String.join(", ", missing)
            + (missing.size() == 1 ? " is" : " are") + " missing", INSTALL_ESO);
      }
      if (!notServingV1.isEmpty()) {
        return CheckResult.fail(CRDS, "External Secrets Operator is older than v0.16: "
            + String.join(", ", notServingV1) + " do not serve external-secrets.io/v1",
            "upgrade External Secrets Operator to v0.16 or newer (helm upgrade external-secrets "
                + "external-secrets/external-secrets -n external-secrets)");
      }
      return CheckResult.pass(CRDS, "External Secrets Operator's CRDs serve external-secrets.io/v1");
    });
  }

  /**
   * {@value #STORE_READY}: the ClusterSecretStore {@value SecretBackend#STORE_NAME} exists, uses
   * {@code esoProvider} when given, and its {@code Ready} condition is {@code True} with a reason other than
   * {@code ValidationUnknown} (which only warns).
   */
  public static Check storeReady(Optional<String> esoProvider) {
    return Check.of(STORE_READY, Set.of(ResourceKind.CLUSTER_SECRET_STORES), snapshot -> {
      String store = "ClusterSecretStore " + SecretBackend.STORE_NAME;
      if (snapshot.state(ResourceKind.CLUSTER_SECRET_STORES) == ClusterSnapshot.ReadState.ABSENT) {
        return CheckResult.fail(STORE_READY, "ClusterSecretStores cannot exist yet: "
            + ResourceKind.CLUSTER_SECRET_STORES.qualifiedName() + " is not served", "see " + CRDS + ": " + INSTALL_ESO);
      }
      Optional<GenericKubernetesResource> found = snapshot.list(ResourceKind.CLUSTER_SECRET_STORES).stream()
          .filter(s -> SecretBackend.STORE_NAME.equals(s.getMetadata().getName())).findFirst();
      if (found.isEmpty()) {
        return CheckResult.fail(STORE_READY, store + " does not exist",
            "render and apply it (substrate render, or substrate apply)");
      }
      GenericKubernetesResource live = found.get();
      if (esoProvider.isPresent()) {
        Optional<String> actual = provider(live);
        if (actual.isPresent() && !actual.get().equals(esoProvider.get())) {
          return CheckResult.fail(STORE_READY, store + " uses ESO provider " + actual.get() + " but the secret backend"
              + " renders provider " + esoProvider.get(), "apply the rendered ClusterSecretStore (substrate apply)");
        }
      }
      Optional<Map<?, ?>> ready = Resources.condition(live, "Ready");
      if (ready.isEmpty()) {
        return CheckResult.fail(STORE_READY, store + " has no Ready condition yet",
            "check that the External Secrets Operator controller runs (kubectl -n external-secrets get pods)");
      }
      String status = String.valueOf(ready.get().get("status"));
      String reason = text(ready.get().get("reason"));
      String message = text(ready.get().get("message"));
      if ("True".equals(status) && "ValidationUnknown".equals(reason)) {
        return CheckResult.warn(STORE_READY, store + " is Ready but ESO could not validate it (ValidationUnknown)",
            "check that ESO can reach the backend with its credentials: " + DESCRIBE_STORE);
      }
      if ("True".equals(status)) {
        return CheckResult.pass(STORE_READY, store + " is Ready" + (reason.isEmpty() ? "" : " (" + reason + ")"));
      }
      String why = String.join(": ", Stream.of(reason, message).filter(t -> !t.isEmpty()).toList());
      return CheckResult.fail(STORE_READY, store + " is not Ready" + (why.isEmpty() ? "" : ": " + why),
          "fix what the condition says, then " + DESCRIBE_STORE);
    });
  }

  /** {@value #LONG_LIVED} for {@code backend}, judged as outside {@code prod}. */
  public static Check longLived(SecretBackend backend) {
    return longLived(backend, SubstrateConfig.defaults());
  }

  /**
   * {@value #LONG_LIVED} for {@code backend}, from its {@value CapabilityIds#SECRETS_LONG_LIVED_CREDENTIALS}: none
   * passes; any is a WARN, and a FAIL in {@code prod} unless {@code secrets.allow_long_lived_credentials} is true.
   */
  public static Check longLived(SecretBackend backend, SubstrateConfig config) {
    String id = backend.id();
    boolean failing = config.profile() == Profile.PROD && !config.secrets().allowLongLivedCredentials();
    Optional<Capability> capability = backend.capability(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS);
    return Check.of(LONG_LIVED, Set.of(), snapshot -> {
      if (capability.isEmpty() || capability.get().count().isEmpty()) {
        return CheckResult.warn(LONG_LIVED, "the secret backend " + id + " does not say how many long-lived "
            + "credentials it needs", "declare capability " + CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS
            + " with a count in the backend");
      }
      int count = capability.get().count().getAsInt();
      if (count == 0) {
        return CheckResult.pass(LONG_LIVED, "0 long-lived credentials: " + capability.get().reason());
      }
      String finding = Resources.count(count, "long-lived credential", "long-lived credentials") + " ("
          + capability.get().reason() + ")";
      String remedy = capability.get().remedy()
          .orElse("switch the secret backend to an auth that stores no key");
      return failing
          ? CheckResult.fail(LONG_LIVED, finding + "; profile prod allows none",
              remedy + "; or accept the risk with secrets.allow_long_lived_credentials: true")
          : CheckResult.warn(LONG_LIVED, finding, remedy);
    });
  }

  /**
   * {@value #VERSION}: the External Secrets Operator controller runs release {@code minimum} (such as
   * {@code v0.20.2}) or newer, which {@code needs} (what the rendered ClusterSecretStore uses) requires. The version is
   * the controller image's tag, which is what runs; the chart's {@code app.kubernetes.io/version} label is only the
   * fallback, since it keeps the chart's appVersion when {@code image.tag} is overridden. An unknown version (a digest,
   * {@code latest}, no controller found) is a WARN.
   */
  public static Check version(String minimum, String needs) {
    int[] wanted = parseVersion(minimum).orElseThrow(() -> new IllegalArgumentException(
        "minimum was '" + minimum + "' but must be a release such as v0.20.2"));
    return Check.of(VERSION, Set.of(ResourceKind.DEPLOYMENTS), snapshot -> {
      String upgrade = "helm upgrade external-secrets external-secrets/external-secrets -n external-secrets "
          + "--version " + minimum.replaceFirst("^v", "") + " (or newer)";
      Optional<Deployment> controller = esoController(snapshot.list(ResourceKind.DEPLOYMENTS, Deployment.class));
      if (controller.isEmpty()) {
        return CheckResult.warn(VERSION, "no External Secrets Operator controller Deployment found, so its version is "
            + "unknown; " + needs + " needs " + minimum + " or newer", "check it yourself: kubectl get deploy -A -l "
            + "app.kubernetes.io/name=external-secrets -o wide");
      }
      Deployment d = controller.get();
      Optional<String> running = runningVersion(d);
      Optional<int[]> parsed = running.flatMap(ExternalSecretsChecks::parseVersion);
      if (parsed.isEmpty()) {
        return CheckResult.warn(VERSION, "the version of External Secrets Operator " + Resources.ref(d) + " is unknown ("
            + running.map(v -> "'" + v + "'").orElse("no image tag or app.kubernetes.io/version label") + "); " + needs
            + " needs " + minimum + " or newer", "pin a release tag on the controller image, at least " + minimum);
      }
      if (compare(parsed.get(), wanted) < 0) {
        return CheckResult.fail(VERSION, "External Secrets Operator " + Resources.ref(d) + " runs " + running.get()
            + ", but " + needs + " needs " + minimum + " or newer", upgrade);
      }
      return CheckResult.pass(VERSION, "External Secrets Operator " + Resources.ref(d) + " runs " + running.get()
          + " (" + needs + " needs " + minimum + ")");
    });
  }

  /** ESO's controller: labelled {@code app.kubernetes.io/name=external-secrets} (not the webhook or cert controller). */
  private static Optional<Deployment> esoController(List<Deployment> deployments) {
    return deployments.stream().filter(d -> d.getMetadata().getLabels() != null
            && "external-secrets".equals(d.getMetadata().getLabels().get("app.kubernetes.io/name")))
        .findFirst()
        .or(() -> deployments.stream().filter(d -> "external-secrets".equals(d.getMetadata().getName())).findFirst());
  }

  /** The controller image's tag (without a digest), else the {@code app.kubernetes.io/version} label. */
  private static Optional<String> runningVersion(Deployment d) {
    List<Container> containers = d.getSpec() == null || d.getSpec().getTemplate() == null
        || d.getSpec().getTemplate().getSpec() == null ? List.of() : d.getSpec().getTemplate().getSpec().getContainers();
    for (Container c : containers) {
      String image = c.getImage() == null ? "" : c.getImage().replaceFirst("@.*$", "");
      int slash = image.lastIndexOf('/');
      int colon = image.lastIndexOf(':');
      if (image.substring(slash + 1).startsWith("external-secrets") && colon > slash) {
        return Optional.of(image.substring(colon + 1));
      }
    }
    return Optional.ofNullable(d.getMetadata().getLabels() == null ? null
        : d.getMetadata().getLabels().get("app.kubernetes.io/version"));
  }

  private static Optional<int[]> parseVersion(String version) {
    Matcher m = RELEASE.matcher(version);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3))});
  }

  private static int compare(int[] a, int[] b) {
    for (int i = 0; i < 3; i++) {
      if (a[i] != b[i]) {
        return Integer.compare(a[i], b[i]);
      }
    }
    return 0;
  }

  private static boolean servesV1(GenericKubernetesResource crd) {
    return Resources.mappings(crd, "spec", "versions").stream()
        .anyMatch(v -> "v1".equals(v.get("name")) && Boolean.TRUE.equals(v.get("served")));
  }

  private static Optional<String> provider(GenericKubernetesResource store) {
    return Resources.at(store, "spec", "provider").filter(p -> p instanceof Map && ((Map<?, ?>) p).size() == 1)
        .map(p -> String.valueOf(((Map<?, ?>) p).keySet().iterator().next()));
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value).trim();
  }
}
