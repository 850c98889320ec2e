package dev.substrate.kubefake.internal.store;

import java.util.List;

/**
 * One resource the API server serves: what discovery lists and what routing checks.
 *
 * @param group API group; empty for the core group
 * @param version API version
 * @param plural resource name in URLs
 * @param singular singular name
 * @param kind object kind
 * @param namespaced whether objects live in namespaces
 * @param shortNames short names kubectl accepts
 * @param categories categories such as {@code all}
 * @param subresources served subresources such as {@code status}
 */
public record ResourceType(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    List<String> subresources) {

  /** The verbs every resource here supports. */
  public static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  public ResourceType {
    shortNames = List.copyOf(shortNames);
    categories = List.copyOf(categories);
    subresources = List.copyOf(subresources);
  }

  /** {@code group/version}, or just the version for the core group. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** {@code plural.group} as RBAC and kubectl name the resource. */
  public String qualifiedName() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** Whether the {@code status} subresource is served. */
  public boolean hasStatus() {
    return subresources.contains("status");
  }
}
