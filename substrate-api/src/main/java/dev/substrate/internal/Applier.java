package dev.substrate.internal;

import dev.substrate.ApplyOptions;
import dev.substrate.ApplyResult;
import dev.substrate.ApplyResult.Action;
import dev.substrate.SubstrateException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NamespaceableResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Server-side apply of ordered resources: CRDs established before their objects, dry run honoured. */
public final class Applier {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final KubernetesClient client;
  private final ApplyOptions options;

  public Applier(KubernetesClient client, ApplyOptions options) {
    this.client = client;
    this.options = options;
  }

  public ApplyResult apply(List<HasMetadata> ordered) {
    ApplyResult.Builder result = ApplyResult.builder().dryRun(options.dryRun());
    Set<String> pendingGroups = new HashSet<>();
    for (HasMetadata r : ordered) {
      String ns = r.getMetadata().getNamespace();
      String group = group(r.getApiVersion());
      Action action;
      if (options.dryRun() && pendingGroups.contains(group) && ManifestWriter.isCustom(r)) {
        // Its CRD would be created by this apply; the server cannot dry-run an object of a type it does not serve.
        action = Action.CREATED;
      } else {
        action = applyOne(r, pendingGroups);
      }
      ApplyResult.Outcome outcome = ApplyResult.Outcome.of(r.getKind(), ns, r.getMetadata().getName(), action);
      options.progress().accept(outcome.toString());
      result.addOutcomes(outcome);
    }
    return result.build();
  }

  private Action applyOne(HasMetadata r, Set<String> pendingGroups) {
    String what = r.getKind() + " " + (r.getMetadata().getNamespace() == null ? "" : r.getMetadata().getNamespace() + "/")
        + r.getMetadata().getName();
    try {
      NamespaceableResource<HasMetadata> resource = client.resource(r);
      HasMetadata before = resource.get();
      HasMetadata after = options.dryRun()
          ? resource.dryRun().fieldManager(options.fieldManager()).forceConflicts().serverSideApply()
          : resource.fieldManager(options.fieldManager()).forceConflicts().serverSideApply();
      if (r instanceof CustomResourceDefinition || "CustomResourceDefinition".equals(r.getKind())) {
        if (options.dryRun()) {
          if (before == null) {
            pendingGroups.add(crdGroup(r));
          }
        } else {
          awaitEstablished(r.getMetadata().getName());
        }
      }
      if (before == null) {
        return Action.CREATED;
      }
      if (!options.dryRun()) {
        return Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())
            ? Action.UNCHANGED : Action.CONFIGURED;
      }
      return comparable(before).equals(comparable(after)) ? Action.UNCHANGED : Action.CONFIGURED;
    } catch (KubernetesClientException e) {
      if (e.getCode() <= 0) {
        throw SubstrateException.fromClient(client.getMasterUrl().toString(), e);
      }
      throw new SubstrateException("applying " + what + " failed with HTTP " + e.getCode() + ": "
          + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage()), e);
    }
  }

  private void awaitEstablished(String crdName) {
    try {
      client.apiextensions().v1().customResourceDefinitions().withName(crdName).waitUntilCondition(
          crd -> crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
              && crd.getStatus().getConditions().stream()
                  .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
          options.crdTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (KubernetesClientException e) {
      throw new SubstrateException("CRD " + crdName + " was not Established within " + options.crdTimeout().toSeconds()
          + "s; objects of it cannot be applied yet", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> comparable(HasMetadata r) {
    Map<String, Object> map = SERIALIZATION.convertValue(r, Map.class);
    map.remove("status");
    Object metadata = map.get("metadata");
    if (metadata instanceof Map) {
      Map<String, Object> m = (Map<String, Object>) metadata;
      for (String volatileKey : List.of("resourceVersion", "managedFields", "generation", "creationTimestamp", "uid")) {
        m.remove(volatileKey);
      }
    }
    return map;
  }

  private static String group(String apiVersion) {
    return apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
  }

  private static String crdGroup(HasMetadata crd) {
    String name = crd.getMetadata().getName();
    return name.substring(name.indexOf('.') + 1);
  }
}
