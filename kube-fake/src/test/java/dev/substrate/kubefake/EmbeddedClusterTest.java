package dev.substrate.kubefake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EmbeddedClusterTest {

  private static EmbeddedCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    cluster = EmbeddedCluster.start(ClusterPreset.HETZNER);
    client = cluster.client();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @BeforeEach
  void clean() {
    cluster.clearFaults();
    cluster.resetJournal();
  }

  @Nested
  @DisplayName("serving the preset")
  class Preset {

    @Test
    void the_fabric8_client_lists_the_preset_nodes() {
      List<Node> nodes = client.nodes().list().getItems();

      assertThat(nodes).hasSize(4);
      assertThat(nodes).extracting(n -> n.getSpec().getProviderID())
          .allMatch(id -> id.startsWith("hcloud://") || id.startsWith("hrobot://"));
      Node gpu = nodes.stream().filter(n -> n.getSpec().getProviderID().startsWith("hrobot://")).findFirst()
          .orElseThrow();
      assertThat(gpu.getStatus().getAllocatable()).containsEntry("nvidia.com/gpu", new Quantity("1"));
      assertThat(gpu.getMetadata().getLabels())
          .containsEntry("instance.hetzner.cloud/provided-by", "robot")
          .containsEntry("node.kubernetes.io/instance-type", "GEX44")
          .containsEntry("nvidia.com/gpu.product", "NVIDIA-RTX-4000-SFF-Ada-Generation");
    }

    @Test
    void a_label_selector_filters_the_list() {
      List<Node> robot = client.nodes().withLabel("instance.hetzner.cloud/provided-by", "robot").list().getItems();
      List<Node> notRobot = client.nodes().withLabelNotIn("instance.hetzner.cloud/provided-by", "robot").list()
          .getItems();

      assertThat(robot).hasSize(1);
      assertThat(notRobot).hasSize(3);
    }

    @Test
    void a_field_selector_on_the_name_finds_one_object() {
      assertThat(client.namespaces().withField("metadata.name", "kube-system").list().getItems())
          .extracting(n -> n.getMetadata().getName()).containsExactly("kube-system");
    }

    @Test
    void a_list_across_namespaces_returns_every_namespace_objects() {
      List<String> services = client.services().inAnyNamespace().list().getItems().stream()
          .map(s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName()).collect(Collectors.toList());

      assertThat(services).containsExactly("default/kubernetes", "ingress-nginx/ingress-nginx-controller",
          "kube-system/kube-dns");
    }

    @Test
    void version_and_health_endpoints_answer_like_an_api_server() throws Exception {
      assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.32.4+k3s1");
      assertThat(get("/readyz").body()).isEqualTo("ok");
      assertThat(get("/livez").statusCode()).isEqualTo(200);
      assertThat(get("/healthz").body()).isEqualTo("ok");
    }

    @Test
    void an_unknown_resource_is_not_found() throws Exception {
      HttpResponse<String> r = get("/apis/nothing.example/v1/gadgets");

      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.body()).contains("\"reason\":\"NotFound\"");
    }

    @Test
    void a_missing_object_is_a_not_found_status() {
      assertThat(client.configMaps().inNamespace("default").withName("absent").get()).isNull();
      assertThatThrownBy(() -> client.configMaps().inNamespace("default").withName("absent")
          .edit(c -> c))
          .isInstanceOf(KubernetesClientException.class);
    }
  }

  @Nested
  @DisplayName("custom resource definitions")
  class Crds {

    @Test
    void a_crd_created_at_run_time_is_established_and_discovered_and_serves_its_resources() throws Exception {
      assertThat(get("/apis/runtime.example.com/v1").statusCode()).isEqualTo(404);

      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
          .resource(crd("runtime.example.com", "Gadget", "gadgets", "gd")).create();

      assertThat(crd.getStatus().getConditions())
          .extracting(CustomResourceDefinitionCondition::getType, CustomResourceDefinitionCondition::getStatus)
          .contains(org.assertj.core.groups.Tuple.tuple("Established", "True"),
              org.assertj.core.groups.Tuple.tuple("NamesAccepted", "True"));
      assertThat(crd.getStatus().getAcceptedNames().getKind()).isEqualTo("Gadget");
      assertThat(client.apiextensions().v1().customResourceDefinitions().withName("gadgets.runtime.example.com")
          .get().getStatus().getConditions()).extracting(CustomResourceDefinitionCondition::getType)
          .contains("Established");
      APIResourceList resources = client.getApiResources("runtime.example.com/v1");
      assertThat(resources.getResources()).extracting(APIResource::getName).contains("gadgets", "gadgets/status");
      assertThat(resources.getResources()).filteredOn(r -> r.getName().equals("gadgets"))
          .singleElement().satisfies(r -> {
            assertThat(r.getKind()).isEqualTo("Gadget");
            assertThat(r.getNamespaced()).isTrue();
            assertThat(r.getShortNames()).containsExactly("gd");
          });
      assertThat(client.getApiGroups().getGroups())
          .anySatisfy(g -> assertThat(g.getName()).isEqualTo("runtime.example.com"));
      assertThat(get("/apis/runtime.example.com/v1alpha1").statusCode()).as("unserved version").isEqualTo(404);

      var gadgets = client.genericKubernetesResources("runtime.example.com/v1", "Gadget").inNamespace("default");
      gadgets.resource(gadget("g2")).create();
      gadgets.resource(gadget("g1")).create();

      assertThat(gadgets.list().getItems()).extracting(w -> w.getMetadata().getName()).containsExactly("g1", "g2");
      assertThat(gadgets.withName("g1").get().getAdditionalProperties()).containsKey("spec");

      client.apiextensions().v1().customResourceDefinitions().withName("gadgets.runtime.example.com").delete();
      assertThat(get("/apis/runtime.example.com/v1").statusCode()).isEqualTo(404);
    }
  }

  @Nested
  @DisplayName("watches")
  class Watches {

    @Test
    void wait_until_condition_sees_an_established_crd() {
      CustomResourceDefinition crd = client.resource(crd("wait.example.com", "Waiter", "waiters", "wt"))
          .fieldManager("substrate").forceConflicts().serverSideApply();

      CustomResourceDefinition established = client.resource(crd).waitUntilCondition(c -> c.getStatus() != null
          && c.getStatus().getConditions().stream()
              .anyMatch(x -> x.getType().equals("Established") && x.getStatus().equals("True")),
          10, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(established.getMetadata().getName()).isEqualTo("waiters.wait.example.com");
    }

    @Test
    void a_fabric8_watch_receives_changes() throws Exception {
      java.util.concurrent.BlockingQueue<String> events = new java.util.concurrent.LinkedBlockingQueue<>();
      var watch = client.configMaps().inNamespace("default").watch(
          new io.fabric8.kubernetes.client.Watcher<ConfigMap>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
              events.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
            }
          });
      try {
        client.resource(configMap("watched", Map.of("k", "v"))).create();
        String event = null;
        while (event == null || !event.endsWith(" watched")) {
          event = events.poll(10, java.util.concurrent.TimeUnit.SECONDS);
          assertThat(event).as("an event for the new config map").isNotNull();
        }
        assertThat(event).isEqualTo("ADDED watched");
      } finally {
        watch.close();
      }
    }
  }

  @Nested
  @DisplayName("server-side apply")
  class ServerSideApply {

    @Test
    void a_first_apply_creates_and_an_identical_second_apply_changes_nothing() {
      ConfigMap applied = client.resource(configMap("ssa-idempotent", Map.of("mode", "fast")))
          .fieldManager("substrate").forceConflicts().serverSideApply();
      String rv = applied.getMetadata().getResourceVersion();

      ConfigMap again = client.resource(configMap("ssa-idempotent", Map.of("mode", "fast")))
          .fieldManager("substrate").forceConflicts().serverSideApply();

      assertThat(again.getMetadata().getResourceVersion()).isEqualTo(rv);
      assertThat(client.configMaps().withName("ssa-idempotent").get().getMetadata().getResourceVersion())
          .isEqualTo(rv);
      assertThat(again.getMetadata().getManagedFields()).singleElement().satisfies(m -> {
        assertThat(m.getManager()).isEqualTo("substrate");
        assertThat(m.getOperation()).isEqualTo("Apply");
        assertThat(m.getFieldsType()).isEqualTo("FieldsV1");
      });
    }

    @Test
    void a_changed_apply_changes_the_resource_version_and_removes_fields_no_longer_applied() {
      ConfigMap first = client.resource(configMap("ssa-changed", Map.of("a", "1", "b", "2")))
          .fieldManager("substrate").forceConflicts().serverSideApply();

      ConfigMap second = client.resource(configMap("ssa-changed", Map.of("a", "10")))
          .fieldManager("substrate").forceConflicts().serverSideApply();

      assertThat(second.getMetadata().getResourceVersion()).isNotEqualTo(first.getMetadata().getResourceVersion());
      assertThat(client.configMaps().withName("ssa-changed").get().getData()).containsExactly(Map.entry("a", "10"));
    }

    @Test
    void fields_of_another_manager_survive_an_apply() {
      client.resource(configMap("ssa-shared", Map.of("mine", "1"))).fieldManager("substrate").forceConflicts()
          .serverSideApply();
      client.resource(configMap("ssa-shared", Map.of("theirs", "2"))).fieldManager("someone-else").forceConflicts()
          .serverSideApply();

      client.resource(configMap("ssa-shared", Map.of("mine", "3"))).fieldManager("substrate").forceConflicts()
          .serverSideApply();

      assertThat(client.configMaps().withName("ssa-shared").get().getData())
          .containsOnly(Map.entry("mine", "3"), Map.entry("theirs", "2"));
    }

    @Test
    void a_custom_resource_can_be_applied_idempotently() {
      client.resource(widgetCrd()).fieldManager("substrate").forceConflicts().serverSideApply();
      GenericKubernetesResource w = client.resource(widget("applied", 1)).inNamespace("default")
          .fieldManager("substrate").forceConflicts().serverSideApply();
      GenericKubernetesResource again = client.resource(widget("applied", 1)).inNamespace("default")
          .fieldManager("substrate").forceConflicts().serverSideApply();
      GenericKubernetesResource changed = client.resource(widget("applied", 2)).inNamespace("default")
          .fieldManager("substrate").forceConflicts().serverSideApply();

      assertThat(again.getMetadata().getResourceVersion()).isEqualTo(w.getMetadata().getResourceVersion());
      assertThat(again.getMetadata().getGeneration()).isEqualTo(w.getMetadata().getGeneration());
      assertThat(changed.getMetadata().getGeneration()).isEqualTo(w.getMetadata().getGeneration() + 1);
    }

    @Test
    void a_dry_run_apply_stores_nothing() {
      ConfigMap result = client.resource(configMap("ssa-dry", Map.of("k", "v"))).dryRun()
          .fieldManager("substrate").forceConflicts().serverSideApply();

      assertThat(result.getData()).containsEntry("k", "v");
      assertThat(client.configMaps().withName("ssa-dry").get()).isNull();
    }

    @Test
    void the_journal_records_the_apply_as_a_patch() {
      client.resource(configMap("ssa-journal", Map.of("k", "v"))).fieldManager("substrate").forceConflicts()
          .serverSideApply();

      assertThat(cluster.requests()).anySatisfy(r -> {
        assertThat(r.method()).isEqualTo("PATCH");
        assertThat(r.verb()).isEqualTo("patch");
        assertThat(r.resource()).isEqualTo("configmaps");
        assertThat(r.query()).contains("fieldManager=substrate").contains("force=true");
        assertThat(r.status()).isEqualTo(201);
      });
    }
  }

  @Nested
  @DisplayName("dry runs and patches")
  class Writes {

    @Test
    void dry_run_create_and_delete_change_nothing() {
      ConfigMap created = client.resource(configMap("dry-create", Map.of("k", "v"))).dryRun().create();
      assertThat(created.getMetadata().getName()).isEqualTo("dry-create");
      assertThat(client.configMaps().withName("dry-create").get()).isNull();

      client.resource(configMap("dry-delete", Map.of("k", "v"))).create();
      client.configMaps().withName("dry-delete").dryRun().delete();
      assertThat(client.configMaps().withName("dry-delete").get()).isNotNull();
    }

    @Test
    void a_json_merge_patch_with_null_removes_a_key() {
      client.resource(configMap("merge", Map.of("a", "1", "b", "2"))).create();

      client.configMaps().withName("merge")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"b\":null,\"c\":\"3\"}}");

      assertThat(client.configMaps().withName("merge").get().getData())
          .containsOnly(Map.entry("a", "1"), Map.entry("c", "3"));
    }

    @Test
    void a_strategic_merge_patch_merges_containers_by_name() {
      client.apps().deployments().inNamespace("kube-system").withName("coredns")
          .patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
              "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"busybox\"}]}}}}");

      assertThat(client.apps().deployments().inNamespace("kube-system").withName("coredns").get().getSpec()
          .getTemplate().getSpec().getContainers()).extracting(c -> c.getName())
          .containsExactly("coredns", "sidecar");
    }

    @Test
    void a_strategic_merge_patch_deletes_a_list_element_with_the_patch_directive() {
      client.resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
          .withNewMetadata().withName("smp").withNamespace("default").endMetadata()
          .withNewSpec().withNewTemplate().withNewSpec()
              .addNewContainer().withName("a").withImage("a:1").endContainer()
              .addNewContainer().withName("b").withImage("b:1").endContainer()
          .endSpec().endTemplate().endSpec().build()).create();

      client.apps().deployments().withName("smp").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
          "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\",\"$patch\":\"delete\"},"
              + "{\"name\":\"b\",\"image\":\"b:2\"}]}}}}");

      assertThat(client.apps().deployments().withName("smp").get().getSpec().getTemplate().getSpec().getContainers())
          .extracting(c -> c.getName() + "=" + c.getImage()).containsExactly("b=b:2");
    }

    @Test
    void a_dry_run_update_changes_nothing() {
      ConfigMap cm = client.resource(configMap("dry-update", Map.of("k", "v"))).create();
      cm.getData().put("k", "changed");

      ConfigMap result = client.resource(cm).dryRun().update();

      assertThat(result.getData()).containsEntry("k", "changed");
      assertThat(client.configMaps().withName("dry-update").get().getData()).containsEntry("k", "v");
    }

    @Test
    void the_status_of_a_custom_resource_changes_only_through_its_status_subresource() {
      client.resource(widgetCrd()).fieldManager("substrate").forceConflicts().serverSideApply();
      var widgets = client.genericKubernetesResources("example.com/v1", "Widget").inNamespace("default");
      GenericKubernetesResource w = widget("with-status", 1);
      w.setAdditionalProperty("status", Map.of("phase", "Ready"));

      GenericKubernetesResource created = widgets.resource(w).create();
      assertThat(created.getAdditionalProperties()).doesNotContainKey("status");

      created.setAdditionalProperty("status", Map.of("phase", "Ready"));
      widgets.resource(created).updateStatus();
      assertThat(widgets.withName("with-status").get().<String>get("status", "phase")).isEqualTo("Ready");

      widgets.withName("with-status").editStatus(r -> {
        r.setAdditionalProperty("status", Map.of("phase", "Degraded"));
        r.setAdditionalProperty("spec", Map.of("size", 99));
        return r;
      });
      assertThat(widgets.withName("with-status").get().<String>get("status", "phase")).isEqualTo("Degraded");
      assertThat(widgets.withName("with-status").get().<Integer>get("spec", "size")).as("spec ignored").isEqualTo(1);
    }

    @Test
    void set_based_label_selectors_work() {
      assertThat(client.nodes().withLabelIn("node.kubernetes.io/instance-type", "GEX44", "cpx31").list().getItems())
          .hasSize(2);
      assertThat(client.nodes().withoutLabel("node-role.kubernetes.io/control-plane").list().getItems()).hasSize(3);
      assertThat(client.nodes().withLabel("nvidia.com/gpu.present").list().getItems()).hasSize(1);
    }

    @Test
    void an_update_with_a_stale_resource_version_conflicts() {
      ConfigMap cm = client.resource(configMap("stale", Map.of("k", "v"))).create();
      client.configMaps().withName("stale").edit(c -> new ConfigMapBuilder(c).addToData("k2", "v2").build());

      cm.getData().put("k", "changed");
      assertThatThrownBy(() -> client.resource(cm).update())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void creating_an_existing_object_is_already_exists() {
      client.resource(configMap("twice", Map.of())).create();

      assertThatThrownBy(() -> client.resource(configMap("twice", Map.of())).create())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(409);
            assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
          });
    }
  }

  @Nested
  @DisplayName("faults and the journal")
  class FaultsAndJournal {

    @Test
    void a_forbidden_resource_fails_with_a_kubernetes_403() {
      client.resource(widgetCrd()).fieldManager("substrate").forceConflicts().serverSideApply();
      cluster.forbid("example.com", "widgets");

      assertThatThrownBy(() -> client.genericKubernetesResources("example.com/v1", "Widget").inAnyNamespace().list())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
            assertThat(e.getStatus().getMessage()).isEqualTo("widgets.example.com is forbidden: User "
                + "\"system:serviceaccount:default:substrate\" cannot list resource \"widgets\" in API group "
                + "\"example.com\" at the cluster scope");
          });

      cluster.clearFaults();
      assertThat(client.genericKubernetesResources("example.com/v1", "Widget").inAnyNamespace().list()).isNotNull();
    }

    @Test
    void a_forbidden_core_resource_names_the_namespace_and_verb() {
      cluster.forbid("", "secrets");

      assertThatThrownBy(() -> client.secrets().inNamespace("kube-system").withName("hcloud").get())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getStatus().getMessage()).startsWith("secrets \"hcloud\" is forbidden")
                .endsWith("cannot get resource \"secrets\" in API group \"\" in the namespace \"kube-system\"");
          });
    }

    /** The client without its retries of server errors, so that each call is one request. */
    private KubernetesClient once() {
      return client.newClient(new RequestConfigBuilder().withRequestRetryBackoffLimit(0).build())
          .adapt(KubernetesClient.class);
    }

    @Test
    void a_failing_resource_answers_a_kubernetes_5xx_and_other_resources_still_work() {
      cluster.fail("storage.k8s.io", "storageclasses", 503);

      assertThatThrownBy(() -> once().storage().v1().storageClasses().list())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(503);
            assertThat(e.getStatus().getReason()).isEqualTo("ServiceUnavailable");
          });
      assertThat(client.nodes().list().getItems()).isNotEmpty();

      cluster.clearFaults();
      assertThat(client.storage().v1().storageClasses().list()).isNotNull();
    }

    @Test
    void failing_all_makes_every_path_answer_the_5xx_and_the_journal_records_it() {
      cluster.failAll(500);
      cluster.resetJournal();

      assertThatThrownBy(() -> once().nodes().list()).isInstanceOfSatisfying(KubernetesClientException.class,
          e -> assertThat(e.getCode()).isEqualTo(500));
      assertThatThrownBy(() -> once().raw("/version")).isInstanceOf(KubernetesClientException.class);
      assertThat(cluster.requests()).extracting(ApiRequest::path, ApiRequest::status).containsExactly(
          org.assertj.core.groups.Tuple.tuple("/api/v1/nodes", 500), org.assertj.core.groups.Tuple.tuple("/version", 500));

      cluster.clearFaults();
      assertThat(client.nodes().list().getItems()).isNotEmpty();
    }

    @Test
    void a_fault_status_must_be_a_server_error() {
      assertThatThrownBy(() -> cluster.failAll(404)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("500-599");
    }

    @Test
    void the_journal_records_every_request_and_resets() {
      client.nodes().list();
      client.namespaces().withName("default").get();

      assertThat(cluster.requestCount()).isEqualTo(2);
      assertThat(cluster.requests()).extracting(ApiRequest::verb, ApiRequest::resource, ApiRequest::status)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("list", "nodes", 200),
              org.assertj.core.groups.Tuple.tuple("get", "namespaces", 200));
      assertThat(cluster.listRequests("nodes")).isEqualTo(1);
      assertThat(cluster.listRequests("", "nodes")).isEqualTo(1);

      cluster.resetJournal();
      assertThat(cluster.requestCount()).isZero();
      assertThat(cluster.requests()).isEmpty();
    }

    @Test
    void a_delay_slows_responses_down() {
      cluster.delay(java.time.Duration.ofMillis(300));
      long start = System.nanoTime();
      client.namespaces().withName("default").get();
      long millis = (System.nanoTime() - start) / 1_000_000;
      cluster.clearFaults();

      assertThat(millis).isGreaterThanOrEqualTo(300);
    }
  }

  @Nested
  @DisplayName("pagination")
  class Pagination {

    @Test
    void limit_500_over_2000_nodes_returns_4_pages_in_a_stable_order() {
      try (EmbeddedCluster big = EmbeddedCluster.builder().preset(ClusterPreset.GKE).nodes(2000).start()) {
        KubernetesClient c = big.client();
        List<String> names = new ArrayList<>();
        List<Long> remaining = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
          NodeList page = c.nodes().list(new ListOptionsBuilder().withLimit(500L).withContinue(token).build());
          page.getItems().forEach(n -> names.add(n.getMetadata().getName()));
          remaining.add(page.getMetadata().getRemainingItemCount());
          token = page.getMetadata().getContinue();
          pages++;
        } while (token != null && !token.isEmpty());

        assertThat(pages).isEqualTo(4);
        assertThat(names).hasSize(2000).doesNotHaveDuplicates().isSorted();
        assertThat(remaining).containsExactly(1500L, 1000L, 500L, null);
        assertThat(big.listRequests("nodes")).isEqualTo(4);
        assertThat(c.nodes().list().getItems()).hasSize(2000);
        assertThat(c.nodes().withLabel("cloud.google.com/gke-accelerator", "nvidia-l4").list().getItems())
            .hasSize(500);
      }
    }

    @Test
    void a_malformed_continue_token_is_a_bad_request() {
      assertThatThrownBy(() -> client.nodes().list(new ListOptionsBuilder().withLimit(1L).withContinue("garbage")
          .build())).isInstanceOfSatisfying(KubernetesClientException.class,
              e -> assertThat(e.getCode()).isEqualTo(400));
    }
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cluster.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static ConfigMap configMap(String name, Map<String, String> data) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withData(data).build();
  }

  static CustomResourceDefinition widgetCrd() {
    return crd("example.com", "Widget", "widgets", "wd");
  }

  static CustomResourceDefinition crd(String group, String kind, String plural, String shortName) {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(plural + "." + group).endMetadata()
        .withNewSpec()
            .withGroup(group)
            .withScope("Namespaced")
            .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase(java.util.Locale.ROOT))
                .withShortNames(shortName)
            .endNames()
            .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSchema().withOpenAPIV3Schema(new JSONSchemaPropsBuilder().withType("object")
                    .withXKubernetesPreserveUnknownFields(true).build()).endSchema()
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
            .endVersion()
            .addNewVersion().withName("v1alpha1").withServed(false).withStorage(false)
                .withNewSchema().withOpenAPIV3Schema(new JSONSchemaPropsBuilder().withType("object")
                    .withXKubernetesPreserveUnknownFields(true).build()).endSchema()
            .endVersion()
        .endSpec()
        .build();
  }

  static GenericKubernetesResource gadget(String name) {
    return new GenericKubernetesResourceBuilder().withApiVersion("runtime.example.com/v1").withKind("Gadget")
        .withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .addToAdditionalProperties("spec", Map.of("color", "blue"))
        .build();
  }

  static GenericKubernetesResource widget(String name, int size) {
    return new GenericKubernetesResourceBuilder().withApiVersion("example.com/v1").withKind("Widget")
        .withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .addToAdditionalProperties("spec", Map.of("size", size))
        .build();
  }
}
