package dev.substrate;

import java.util.Optional;

/** Block and shared storage: the default StorageClass, RWX, snapshots and expansion. */
public interface Storage extends Facet {
  @Override
  default FacetType type() {
    return FacetType.STORAGE;
  }

  /** The CSI provisioner of the default class, e.g. {@code csi.hetzner.cloud}; empty when any will do. */
  Optional<String> provisioner();

  /** The name of the default StorageClass this substrate expects, e.g. {@code hcloud-volumes}. */
  Optional<String> defaultClassName();
}
