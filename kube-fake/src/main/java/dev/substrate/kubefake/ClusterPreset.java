package dev.substrate.kubefake;

import dev.substrate.kubefake.internal.preset.Presets;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The shape of cluster an {@link EmbeddedCluster} is seeded like. Every preset but {@link #BARE} is a platform
 * cluster before its substrate layer is applied: Argo CD's and External Secrets Operator's CRDs are installed
 * ({@link MinimalCrds#platform()}), and BYO also has MetalLB's.
 */
public enum ClusterPreset {
  /** Namespaces and one plain node, nothing else. */
  BARE("bare", 1),
  /** GKE Standard in europe-west4: n2 CPU pool, g2 + NVIDIA L4 GPU pool, GKE's GPU stack, PD storage classes. */
  GKE("gke", 4),
  /** k3s on Hetzner: Cloud control plane and workers, Robot GEX GPU servers, hcloud CCM and CSI. */
  HETZNER("hetzner", 4),
  /** kubeadm on your own machines: no cloud provider, a GPU worker, local-path storage. */
  BYO("byo", 3),
  /**
   * EKS in eu-west-1 with its substrate layer: a managed CPU node group, a Karpenter p5 GPU node (AL2023 NVIDIA AMI,
   * NVIDIA's device plugin), EBS and EFS CSI, the AWS Load Balancer Controller, ESO on AWS Secrets Manager via IRSA.
   */
  AWS("aws", 4),
  /**
   * Talos on Hetzner Cloud VMs (control plane, public ingress) and on Proxmox VMs at home (workers, one with an
   * NVIDIA L4 passed through): node pools on two substrates, hcloud and Proxmox CSI and local-path side by side, the
   * GPU driver from Talos's extensions, ESO on Vault.
   */
  HYBRID("hybrid", 4);

  private final String id;
  private final int defaultNodes;

  ClusterPreset(String id, int defaultNodes) {
    this.id = id;
    this.defaultNodes = defaultNodes;
  }

  /** The lowercase id, e.g. {@code hetzner}. */
  public String id() {
    return id;
  }

  /** How many nodes the preset has unless told otherwise. */
  public int defaultNodes() {
    return defaultNodes;
  }

  /**
   * The platform config the preset's cluster was made for, as YAML: on a cluster like this, with this config, doctor
   * passes. Empty (the defaults) where the defaults already fit. On Hetzner it names the workload identity pool
   * provider the preset's ClusterSecretStore trusts; k3s's issuer is private, so such a provider is given the
   * cluster's JWKS, and {@code wif.published_jwks} must name that file ({@link EmbeddedCluster#oidc()} holds it).
   */
  public String exampleConfig() {
    return Presets.exampleConfig(this);
  }

  /**
   * The preset with the given id, ignoring case.
   *
   * @throws IllegalArgumentException naming every valid id when none matches
   */
  public static ClusterPreset fromId(String id) {
    for (ClusterPreset p : values()) {
      if (p.id.equals(id == null ? null : id.trim().toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown cluster preset '" + id + "'; valid presets: "
        + Arrays.stream(values()).map(ClusterPreset::id).collect(Collectors.joining(", ")));
  }
}
