package dev.substrate.kubefake.internal.preset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.MinimalCrds;
import dev.substrate.kubefake.internal.store.Names;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Seeds the objects of a {@link ClusterPreset}. */
public final class Presets {

  private Presets() {
  }

  /** Receives seeded objects: model objects, or JSON for the many (nodes) where model classes are too slow. */
  public interface Sink {
    void add(HasMetadata object);

    void add(ObjectNode object);
  }

  /** How many of {@code nodes} are GPU nodes: about one in four, at least one once there are two nodes. */
  public static int gpuNodes(int nodes) {
    return nodes < 2 ? 0 : Math.max(1, nodes / 4);
  }

  /** The {@code gitVersion} the preset's API server reports. */
  public static String gitVersion(ClusterPreset preset) {
    switch (preset) {
      case GKE:
        return GkePreset.GIT_VERSION;
      case HETZNER:
        return HetznerPreset.GIT_VERSION;
      case AWS:
        return AwsPreset.GIT_VERSION;
      case HYBRID:
        return HybridPreset.GIT_VERSION;
      default:
        return ByoPreset.GIT_VERSION;
    }
  }

  /** The k3s and kubeadm default service-account issuer: the in-cluster API server name, not a public URL. */
  public static final String IN_CLUSTER_ISSUER = "https://kubernetes.default.svc.cluster.local";

  /**
   * The service-account issuer ({@code --service-account-issuer}) a cluster like the preset has: GKE's
   * {@code https://container.googleapis.com/v1/projects/PROJECT/locations/LOCATION/clusters/NAME}, EKS's
   * {@code https://oidc.eks.REGION.amazonaws.com/id/ID}, else
   * {@link #IN_CLUSTER_ISSUER}.
   */
  public static String issuer(ClusterPreset preset) {
    if (preset == ClusterPreset.GKE) {
      return "https://container.googleapis.com/v1/projects/" + GkePreset.PROJECT + "/locations/" + GkePreset.REGION
          + "/clusters/" + GkePreset.CLUSTER;
    }
    if (preset == ClusterPreset.AWS) {
      return AwsPreset.ISSUER;
    }
    return IN_CLUSTER_ISSUER;
  }

  /** The config the preset's cluster was made for; see {@link ClusterPreset#exampleConfig()}. */
  public static String exampleConfig(ClusterPreset preset) {
    switch (preset) {
      case HETZNER:
        return HetznerPreset.exampleConfig();
      case AWS:
        return AwsPreset.exampleConfig();
      case HYBRID:
        return HybridPreset.exampleConfig();
      default:
        return "";
    }
  }

  /** Hands every object of the preset, with {@code nodes} nodes, to the sink. */
  public static void seed(ClusterPreset preset, int nodes, Instant now, Sink sink) {
    Instant t = now.truncatedTo(ChronoUnit.SECONDS);
    Seed s = new Seed(sink, t.minus(Duration.ofDays(30)).toString(), t.toString());
    switch (preset) {
      case GKE:
        // the platform's CRDs first: the GKE preset seeds a ClusterSecretStore
        s.addAll(MinimalCrds.platform());
        GkePreset.seed(s, nodes);
        break;
      case HETZNER:
        HetznerPreset.seed(s, nodes);
        s.addAll(MinimalCrds.platform());
        break;
      case AWS:
        // the platform's CRDs first: the AWS preset seeds a ClusterSecretStore
        s.addAll(MinimalCrds.platform());
        AwsPreset.seed(s, nodes);
        break;
      case HYBRID:
        // the platform's CRDs first: the preset seeds a ClusterSecretStore
        s.addAll(MinimalCrds.platform());
        HybridPreset.seed(s, nodes);
        break;
      case BYO:
        ByoPreset.seed(s, nodes);
        s.addAll(MinimalCrds.platform());
        s.addAll(MinimalCrds.metallb());
        break;
      case BARE:
      default:
        s.addAll(Kube.common("10.96.0.1", "10.96.0.10"));
        for (int i = 0; i < nodes; i++) {
          s.node(new NodeSpec("node-" + (i + 1)).software(ByoPreset.SOFTWARE).addresses(Names.ip("192.168", i), null));
        }
        break;
    }
  }
}
