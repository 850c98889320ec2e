package dev.substrate.testkit.assertj;

import static dev.substrate.testkit.assertj.SubstrateAssertions.assertThat;
import static dev.substrate.testkit.assertj.SubstrateAssertions.assertThatCapabilities;
import static dev.substrate.testkit.assertj.SubstrateAssertions.assertThatThrownBy;

import dev.substrate.Capability;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.Rendering;
import dev.substrate.Report;
import dev.substrate.SecretValue;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each assertion passes on what it claims and fails, with a message naming the check/capability/resource, otherwise. */
class SubstrateAssertionsTest {
  private static final CheckResult NODES = CheckResult.pass("substrate.nodes", "3 nodes, 1 with nvidia.com/gpu");
  private static final CheckResult STORE = CheckResult.fail("eso.store-ready", "ClusterSecretStore secret-store is not Ready",
      "kubectl describe clustersecretstore secret-store");
  private static final CheckResult LB = CheckResult.warn("lb.addresses", "1 LoadBalancer Service has no address",
      "check the MetalLB speaker logs");
  private static final CheckResult SNAPSHOTS = CheckResult.skip("storage.snapshots", "cost and dev take no backups");

  private static Report report(CheckResult... results) {
    return Report.builder().substrateId("byo").source("https://127.0.0.1:6443").addResults(results).apiRequests(8)
        .putOtherApiRequests("hcloud", 2).build();
  }

  @Nested
  class A_report {
    private final Report mixed = report(NODES, STORE, LB, SNAPSHOTS);
    private final Report clean = report(NODES, SNAPSHOTS);

    @Test
    void has_passed_when_nothing_failed_or_warned() {
      assertThat(clean).hasPassed().hasNoFailures().hasNoWarnings();
      assertThatThrownBy(() -> assertThat(mixed).hasPassed()).isInstanceOf(AssertionError.class)
          .hasMessage("expected doctor to pass but 2 did: eso.store-ready, lb.addresses; the report:\n%s",
              mixed.toText().stripTrailing());
    }

    @Test
    void has_no_failures_while_warnings_are_allowed() {
      Report warned = report(NODES, LB);
      assertThat(warned).hasNoFailures();
      assertThatThrownBy(() -> assertThat(mixed).hasNoFailures()).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected no check to fail but 1 did: eso.store-ready; the report:")
          .hasMessageContaining("FAIL  eso.store-ready    ClusterSecretStore secret-store is not Ready")
          .hasMessageContaining("→ kubectl describe clustersecretstore secret-store");
      assertThatThrownBy(() -> assertThat(warned).hasNoWarnings()).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected no check to warn but 1 did: lb.addresses; the report:");
    }

    @Test
    void names_the_check_and_its_actual_status_when_a_status_is_wrong() {
      assertThat(mixed).hasPassed("substrate.nodes").hasFailed("eso.store-ready").hasWarned("lb.addresses")
          .hasSkipped("storage.snapshots");
      assertThatThrownBy(() -> assertThat(mixed).hasPassed("eso.store-ready")).isInstanceOf(AssertionError.class)
          .hasMessage("expected check eso.store-ready to be PASS but it is FAIL:\n"
              + "  FAIL  eso.store-ready  ClusterSecretStore secret-store is not Ready\n"
              + "      → kubectl describe clustersecretstore secret-store");
    }

    @Test
    void lists_the_report_when_a_check_is_absent() {
      assertThat(mixed).hasChecks("substrate.nodes", "lb.addresses").doesNotHaveCheck("gpu.dcgm-exporter");
      assertThatThrownBy(() -> assertThat(clean).hasFailed("eso.store-ready")).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected a check eso.store-ready but the report has none; the report:\n"
              + "PASS  substrate.nodes", "")
          .hasMessageContaining("SKIP  storage.snapshots");
      assertThatThrownBy(() -> assertThat(clean).hasChecks("substrate.nodes", "eso.crds", "eso.store-ready"))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected checks substrate.nodes, eso.crds, eso.store-ready but the report has no "
              + "eso.crds, eso.store-ready; the report:");
      assertThatThrownBy(() -> assertThat(clean).doesNotHaveCheck("substrate.nodes")).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected no check substrate.nodes but the report has one");
    }

    @Test
    void navigates_to_a_check_to_assert_its_finding_and_remedy() {
      assertThat(mixed).hasCheck("eso.store-ready").isFail().hasRemedyContaining("kubectl describe");
      assertThatThrownBy(() -> assertThat(mixed).hasCheck("eso.store-ready").hasRemedyContaining("helm upgrade"))
          .isInstanceOf(AssertionError.class)
          .hasMessage("expected the remedy of check eso.store-ready to contain \"helm upgrade\" but it is:\n"
              + "  FAIL  eso.store-ready  ClusterSecretStore secret-store is not Ready\n"
              + "      → kubectl describe clustersecretstore secret-store");
    }

    @Test
    void counts_the_requests_doctor_made() {
      assertThat(mixed).hasApiRequests(8).hasApiRequests("hcloud", 2).hasNoApiWrites();
      assertThatThrownBy(() -> assertThat(mixed).hasApiRequests(5)).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected doctor to make 5 Kubernetes API requests but it made 8; the report:")
          .hasMessageContaining("Kubernetes API: 8 requests");
      assertThatThrownBy(() -> assertThat(mixed).hasApiRequests("hcloud", 0)).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected doctor to make 0 hcloud API requests but it made 2");
      Report wrote = Report.builder().from(mixed).addApiWrites("created a TokenRequest for external-secrets/external-secrets")
          .build();
      assertThatThrownBy(() -> assertThat(wrote).hasNoApiWrites()).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected doctor to write nothing but it made 1 writes: created a TokenRequest for "
              + "external-secrets/external-secrets");
    }

    @Test
    void has_its_summary() {
      assertThat(mixed).hasSummary("1 passed / 1 failed / 1 warning (1 skipped)");
      assertThatThrownBy(() -> assertThat(mixed).hasSummary("2 passed / 0 failed / 0 warnings"))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected the summary '2 passed / 0 failed / 0 warnings' but it is "
              + "'1 passed / 1 failed / 1 warning (1 skipped)'");
    }

    @Test
    void prefixes_a_description_also_to_what_a_navigated_check_reports() {
      assertThatThrownBy(() -> assertThat(mixed).as("doctor on byo").hasCheck("lb.addresses").isPass())
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("[doctor on byo] expected check lb.addresses to be PASS but it is WARN");
    }
  }

  @Nested
  class A_check_result {
    @Test
    void has_a_status() {
      assertThat(STORE).isFail().hasStatus(CheckStatus.FAIL);
      assertThat(NODES).isPass();
      assertThat(LB).isWarn();
      assertThat(SNAPSHOTS).isSkip();
      assertThatThrownBy(() -> assertThat(SNAPSHOTS).isPass()).isInstanceOf(AssertionError.class)
          .hasMessage("expected check storage.snapshots to be PASS but it is SKIP:\n"
              + "  SKIP  storage.snapshots  cost and dev take no backups");
    }

    @Test
    void has_a_finding() {
      assertThat(STORE).hasFinding("ClusterSecretStore secret-store is not Ready")
          .hasFindingStartingWith("ClusterSecretStore").hasFindingContaining("secret-store", "not Ready")
          .hasFindingNotContaining("Valid");
      assertThatThrownBy(() -> assertThat(NODES).hasFinding("2 nodes")).isInstanceOf(AssertionError.class)
          .hasMessage("expected the finding of check substrate.nodes to be\n  2 nodes\nbut it is:\n"
              + "  PASS  substrate.nodes  3 nodes, 1 with nvidia.com/gpu");
      assertThatThrownBy(() -> assertThat(NODES).hasFindingStartingWith("2")).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected the finding of check substrate.nodes to start with\n  2\nbut it is:");
      assertThatThrownBy(() -> assertThat(NODES).hasFindingContaining("3 nodes", "amd.com/gpu", "MIG"))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected the finding of check substrate.nodes to contain \"amd.com/gpu\", \"MIG\" "
              + "but it is:");
      assertThatThrownBy(() -> assertThat(NODES).hasFindingNotContaining("nvidia")).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected the finding of check substrate.nodes not to contain \"nvidia\" but it is:");
    }

    @Test
    void has_a_remedy_or_none() {
      assertThat(STORE).hasRemedy("kubectl describe clustersecretstore secret-store");
      assertThat(NODES).hasNoRemedy();
      assertThatThrownBy(() -> assertThat(NODES).hasRemedyContaining("kubectl")).isInstanceOf(AssertionError.class)
          .hasMessage("expected check substrate.nodes to have a remedy containing \"kubectl\" but it has none:\n"
              + "  PASS  substrate.nodes  3 nodes, 1 with nvidia.com/gpu");
      assertThatThrownBy(() -> assertThat(STORE).hasRemedy("kubectl get clustersecretstore"))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected the remedy of check eso.store-ready to be\n  kubectl get clustersecretstore\n"
              + "but it is:");
      assertThatThrownBy(() -> assertThat(STORE).hasNoRemedy()).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected check eso.store-ready to have no remedy but it has one:");
    }
  }

  @Nested
  class A_capability {
    private final Capability rwx = Capability.of("storage.rwx", CapabilityState.UNSUPPORTED, "volumes attach to one node",
        "an NFS provisioner, Longhorn or LINSTOR");
    private final Capability longLived = Capability.builder().id("secrets.long-lived-credentials")
        .state(CapabilityState.SUPPORTED).reason("keyless").count(0).build();

    @Test
    void has_a_state() {
      assertThat(rwx).isUnsupported().hasState(CapabilityState.UNSUPPORTED);
      assertThat(longLived).isSupported();
      assertThat(Capability.of("gpu.mig", CapabilityState.NEEDS_ACTION, "needs a MIG strategy", "set mig.strategy"))
          .needsAction();
      assertThatThrownBy(() -> assertThat(rwx).isSupported()).isInstanceOf(AssertionError.class)
          .hasMessage("expected capability storage.rwx to be SUPPORTED but it is UNSUPPORTED:\n"
              + "  UNSUPPORTED  storage.rwx  volumes attach to one node\n"
              + "      → an NFS provisioner, Longhorn or LINSTOR");
      assertThatThrownBy(() -> assertThat(rwx).needsAction()).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected capability storage.rwx to be NEEDS_ACTION but it is UNSUPPORTED");
    }

    @Test
    void has_a_reason() {
      assertThat(rwx).hasReasonContaining("one node").hasReasonNotContaining("RWX");
      assertThatThrownBy(() -> assertThat(rwx).hasReasonContaining("one node", "Secure Boot"))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected the reason of capability storage.rwx to contain \"Secure Boot\" but it is:");
      assertThatThrownBy(() -> assertThat(rwx).hasReasonNotContaining("node")).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected the reason of capability storage.rwx not to contain \"node\" but it is:");
    }

    @Test
    void has_a_remedy_or_none() {
      assertThat(rwx).hasRemedyContaining("Longhorn", "LINSTOR").hasRemedyNotContaining("Filestore");
      assertThat(longLived).hasNoRemedy().hasRemedyNotContaining("anything");
      assertThatThrownBy(() -> assertThat(rwx).hasRemedyContaining("Filestore")).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected the remedy of capability storage.rwx to contain \"Filestore\" but it is:");
      assertThatThrownBy(() -> assertThat(longLived).hasRemedyContaining("rotate")).isInstanceOf(AssertionError.class)
          .hasMessage("expected capability secrets.long-lived-credentials to have a remedy containing \"rotate\" but "
              + "it has none:\n  SUPPORTED  secrets.long-lived-credentials  keyless");
      assertThatThrownBy(() -> assertThat(rwx).hasRemedyNotContaining("NFS")).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected the remedy of capability storage.rwx not to contain \"NFS\"");
      assertThatThrownBy(() -> assertThat(rwx).hasNoRemedy()).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected capability storage.rwx to have no remedy but it has one:");
    }

    @Test
    void has_a_count() {
      assertThat(longLived).hasCount(0);
      assertThatThrownBy(() -> assertThat(longLived).hasCount(1)).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected capability secrets.long-lived-credentials to carry the count 1 but it "
              + "carries 0:");
      assertThatThrownBy(() -> assertThat(rwx).hasCount(0)).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected capability storage.rwx to carry the count 0 but it carries none:");
    }
  }

  @Nested
  class A_list_of_capabilities {
    private final List<Capability> capabilities = List.of(
        Capability.of("storage.rwx", CapabilityState.UNSUPPORTED, "volumes attach to one node", "Longhorn"),
        Capability.of("storage.expansion", CapabilityState.SUPPORTED, "the CSI driver expands volumes", null));

    @Test
    void has_a_capability_to_assert_on() {
      assertThatCapabilities(capabilities).hasCapabilities("storage.rwx", "storage.expansion")
          .doesNotHaveCapability("storage.snapshots")
          .hasCapability("storage.rwx").isUnsupported();
      assertThatThrownBy(() -> assertThatCapabilities(capabilities).hasCapability("storage.snapshots"))
          .isInstanceOf(AssertionError.class)
          .hasMessage("expected a capability storage.snapshots but there is none; the capabilities:\n"
              + "  UNSUPPORTED  storage.rwx  volumes attach to one node\n"
              + "      → Longhorn\n"
              + "  SUPPORTED  storage.expansion  the CSI driver expands volumes");
      assertThatThrownBy(() -> assertThatCapabilities(capabilities).hasCapabilities("storage.rwx", "storage.snapshots"))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected capabilities storage.rwx, storage.snapshots but there is no storage.snapshots;");
      assertThatThrownBy(() -> assertThatCapabilities(capabilities).doesNotHaveCapability("storage.rwx"))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected no capability storage.rwx but there is one;");
    }

    @Test
    void are_well_formed_and_unique_or_the_failure_lists_every_problem() {
      assertThatCapabilities(capabilities).areWellFormed().hasNoDuplicateIds();
      Capability noRemedy = new Broken("secrets.keyless", CapabilityState.UNSUPPORTED, "it cannot");
      Capability noReason = new Broken("Storage.RWX", CapabilityState.SUPPORTED, " ");
      assertThatThrownBy(() -> assertThatCapabilities(List.of(noRemedy, noReason)).as("provider 'leaky'").areWellFormed())
          .isInstanceOf(AssertionError.class)
          .hasMessage("[provider 'leaky'] capability secrets.keyless is UNSUPPORTED but has no remedy: say what a "
              + "person can do about it\n"
              + "capability id 'Storage.RWX' must be lowercase dotted words such as storage.rwx\n"
              + "capability Storage.RWX has no reason");
      List<Capability> twice = List.of(capabilities.get(0), capabilities.get(1), capabilities.get(0));
      assertThatThrownBy(() -> assertThatCapabilities(twice).hasNoDuplicateIds()).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("capability storage.rwx is declared more than once; the capabilities:");
    }
  }

  @Nested
  class A_rendering {
    private final GenericKubernetesResource store = new GenericKubernetesResourceBuilder()
        .withApiVersion("external-secrets.io/v1").withKind("ClusterSecretStore")
        .withNewMetadata().withName("secret-store").addToLabels("app.kubernetes.io/managed-by", "substrate")
        .addToAnnotations("argocd.argoproj.io/sync-wave", "2").endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("provider", Map.of("kubernetes", Map.of(
            "remoteNamespace", "platform-secrets", "server", Map.of("caProvider", Map.of("type", "ConfigMap")))),
            "conditions", List.of(Map.of("namespaces", List.of("llm", "gateway")))))).build();
    private final Rendering rendering = new Rendering(List.of(store,
        new ConfigMapBuilder().withNewMetadata().withName("time-slicing-config").withNamespace("gpu-operator").endMetadata()
            .addToData("any", "version: v1").build(),
        new NamespaceBuilder().withNewMetadata().withName("gpu-operator").endMetadata().build()));

    @Test
    void contains_kinds_in_apply_order() {
      assertThat(rendering).containsKind("ClusterSecretStore").doesNotContainKind("IPAddressPool")
          .hasKindsExactly("Namespace", "ConfigMap", "ClusterSecretStore")
          .hasResourcesExactly("Namespace gpu-operator", "ConfigMap gpu-operator/time-slicing-config",
              "ClusterSecretStore secret-store");
      assertThatThrownBy(() -> assertThat(rendering).containsKind("IPAddressPool")).isInstanceOf(AssertionError.class)
          .hasMessage("expected a IPAddressPool among the rendered resources but there is none; rendered:\n"
              + "  Namespace gpu-operator\n  ConfigMap gpu-operator/time-slicing-config\n  ClusterSecretStore secret-store");
      assertThatThrownBy(() -> assertThat(rendering).doesNotContainKind("ConfigMap")).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected no ConfigMap among the rendered resources but there is "
              + "ConfigMap gpu-operator/time-slicing-config; rendered:");
      assertThatThrownBy(() -> assertThat(rendering).hasKindsExactly("ClusterSecretStore", "Namespace", "ConfigMap"))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected the kinds\n  ClusterSecretStore, Namespace, ConfigMap\nin this order; rendered:\n"
              + "  Namespace gpu-operator");
      assertThatThrownBy(() -> assertThat(rendering).hasResourcesExactly("Namespace gpu-operator"))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected the resources\n  Namespace gpu-operator\nin this order; rendered:");
    }

    @Test
    void finds_a_resource_by_kind_and_name_or_lists_what_there_is() {
      assertThat(rendering).resource("ConfigMap", "time-slicing-config").hasNamespace("gpu-operator");
      assertThat(rendering).resource("ConfigMap", "gpu-operator", "time-slicing-config").hasApiVersion("v1");
      assertThatThrownBy(() -> assertThat(rendering).resource("ConfigMap", "mps-config")).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected a ConfigMap named mps-config but there is none; rendered:\n"
              + "  Namespace gpu-operator\n  ConfigMap gpu-operator/time-slicing-config");
      assertThatThrownBy(() -> assertThat(rendering).resource("ConfigMap", "kube-system", "time-slicing-config"))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected a ConfigMap named kube-system/time-slicing-config but there is none");
      Rendering twoNamespaces = new Rendering(List.of(
          new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("a").endMetadata().build(),
          new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("b").endMetadata().build()));
      assertThatThrownBy(() -> assertThat(twoNamespaces).resource("ConfigMap", "c")).isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("expected one ConfigMap named c but there are 2: ConfigMap a/c, ConfigMap b/c; "
              + "name its namespace too");
    }

    @Test
    void a_resource_has_labels_annotations_and_a_scope() {
      assertThat(rendering).resource("ClusterSecretStore", "secret-store").isClusterScoped()
          .hasApiVersion("external-secrets.io/v1")
          .hasLabel("app.kubernetes.io/managed-by", "substrate")
          .hasAnnotation("argocd.argoproj.io/sync-wave", "2")
          .doesNotHaveAnnotation("argocd.argoproj.io/hook");
      assertThatThrownBy(() -> assertThat(store).hasAnnotation("argocd.argoproj.io/sync-wave", "5"))
          .isInstanceOf(AssertionError.class)
          .hasMessage("ClusterSecretStore secret-store: expected annotation argocd.argoproj.io/sync-wave=5 but its "
              + "annotations are {argocd.argoproj.io/sync-wave=2}");
      assertThatThrownBy(() -> assertThat(store).hasLabel("team", "llm")).isInstanceOf(AssertionError.class)
          .hasMessage("ClusterSecretStore secret-store: expected label team=llm but its labels are "
              + "{app.kubernetes.io/managed-by=substrate}");
      assertThatThrownBy(() -> assertThat(store).doesNotHaveAnnotation("argocd.argoproj.io/sync-wave"))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("ClusterSecretStore secret-store: expected no annotation argocd.argoproj.io/sync-wave");
      assertThatThrownBy(() -> assertThat(store).hasNamespace("external-secrets")).isInstanceOf(AssertionError.class)
          .hasMessage("ClusterSecretStore secret-store: expected namespace external-secrets but it is not set");
      assertThatThrownBy(() -> assertThat(rendering).resource("ConfigMap", "time-slicing-config").isClusterScoped())
          .isInstanceOf(AssertionError.class)
          .hasMessage("ConfigMap gpu-operator/time-slicing-config: expected no namespace but it has namespace gpu-operator");
      assertThatThrownBy(() -> assertThat(store).hasApiVersion("external-secrets.io/v1beta1"))
          .isInstanceOf(AssertionError.class)
          .hasMessage("ClusterSecretStore secret-store: expected apiVersion external-secrets.io/v1beta1 but it is "
              + "external-secrets.io/v1");
    }

    @Test
    void a_resource_has_fields_by_path() {
      assertThat(store).hasField("spec.provider.kubernetes.remoteNamespace", "platform-secrets")
          .hasField("spec.provider.kubernetes.server.caProvider", Map.of("type", "ConfigMap"))
          .hasField("spec.conditions.0.namespaces.1", "gateway")
          .hasField("metadata.name", "secret-store");
      assertThat(rendering).resource("ConfigMap", "time-slicing-config").hasField("data.any", "version: v1");
      assertThatThrownBy(() -> assertThat(store).hasField("spec.provider.kubernetes.remoteNamespace", "secrets"))
          .isInstanceOf(AssertionError.class)
          .hasMessage("ClusterSecretStore secret-store: expected field spec.provider.kubernetes.remoteNamespace to be\n"
              + "  secrets\nbut it is\n  platform-secrets");
      assertThatThrownBy(() -> assertThat(store).hasField("spec.provider.vault.server", "https://vault"))
          .isInstanceOf(AssertionError.class)
          .hasMessage("ClusterSecretStore secret-store: expected a field spec.provider.vault.server but spec.provider "
              + "holds the keys [kubernetes]");
      assertThatThrownBy(() -> assertThat(store).hasField("status.conditions", List.of()))
          .isInstanceOf(AssertionError.class)
          .hasMessage("ClusterSecretStore secret-store: expected a field status.conditions but the resource has no status");
    }

    @Test
    void a_secret_never_shows_its_values() {
      String value = "hf_s3cr3t_t0ken";
      var secret = new SecretBuilder().withNewMetadata().withName("hf").withNamespace("llm").endMetadata()
          .addToStringData("token", value).build();
      assertThat(secret).hasField("stringData.token", value);
      assertThatThrownBy(() -> assertThat(secret).hasField("stringData.token", "other")).isInstanceOf(AssertionError.class)
          .hasMessage("Secret llm/hf: expected field stringData.token to hold another value (a Secret's values are not "
              + "shown)")
          .message().doesNotContain(value);
    }
  }

  @Nested
  class A_secret_value {
    private final SecretValue token = SecretValue.of("hf_s3cr3t_t0ken");

    @Test
    void reveals_what_was_stored_without_printing_either_value() {
      assertThat(token).reveals("hf_s3cr3t_t0ken");
      assertThatThrownBy(() -> assertThat(token).reveals("hf_other")).isInstanceOf(AssertionError.class)
          .hasMessage("expected the secret value to be the one given, but it differs (neither is printed)");
    }

    @Test
    void is_not_shown_by_what_holds_it() {
      assertThat(token).isNotShownBy(token, Optional.of(token), new IllegalStateException("get hf failed: 403"));
      Object leaky = new Object() {
        @Override
        public String toString() {
          return "Leaky{hf=hf_s3cr3t_t0ken}";
        }
      };
      assertThatThrownBy(() -> assertThat(token).isNotShownBy(token, leaky)).isInstanceOf(AssertionError.class)
          .hasMessage("expected the secret value not to show, but the toString of 1 shows it:\n  %s: Leaky{hf=<VALUE>}",
              leaky.getClass().getName())
          .message().doesNotContain("s3cr3t");
    }
  }

  /** A capability that skips the checks of {@link Capability}'s builder, as a hand-written provider's might. */
  private static final class Broken extends Capability {
    private final String id;
    private final CapabilityState state;
    private final String reason;

    Broken(String id, CapabilityState state, String reason) {
      this.id = id;
      this.state = state;
      this.reason = reason;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public CapabilityState state() {
      return state;
    }

    @Override
    public String reason() {
      return reason;
    }

    @Override
    public Optional<String> remedy() {
      return Optional.empty();
    }

    @Override
    public OptionalInt count() {
      return OptionalInt.empty();
    }
  }
}
