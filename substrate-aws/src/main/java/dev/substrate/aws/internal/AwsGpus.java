package dev.substrate.aws.internal;

import dev.substrate.spi.gpu.GpuCatalog;
import dev.substrate.spi.gpu.GpuModel;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * EC2 GPU instance families and the NVIDIA GPU each carries, as offerings of the shared catalog, keyed by the family
 * ({@code p5} for {@code p5.48xlarge}). Sources: the EC2 accelerated-computing instance pages
 * (https://aws.amazon.com/ec2/instance-types/p5/, /p4/, /g6/, /g6e/, /g5/, /g4/): p4d A100 40GB, p4de A100 80GB, p5
 * H100 80GB, p5e and p5en H200 141GB, g6 L4, g6e L40S, g5 A10G, g4dn T4; the EKS AL2023 NVIDIA AMI supports all of
 * them (https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-optimized-ami.html).
 */
final class AwsGpus {
  static final GpuCatalog CATALOG = GpuCatalog.shipped()
      .withOffering("g4dn", GpuCatalog.T4)
      .withOffering("g5", GpuCatalog.A10G)
      .withOffering("g6", GpuCatalog.L4)
      .withOffering("g6e", GpuCatalog.L40S)
      .withOffering("p4d", GpuCatalog.A100_40GB)
      .withOffering("p4de", GpuCatalog.A100_80GB)
      .withOffering("p5", GpuCatalog.H100_80GB)
      .withOffering("p5e", GpuCatalog.H200)
      .withOffering("p5en", GpuCatalog.H200);

  private AwsGpus() {}

  /** {@code p5} for {@code p5.48xlarge}. */
  static String family(String instanceType) {
    String t = instanceType.trim().toLowerCase(Locale.ROOT);
    int dot = t.indexOf('.');
    return dot < 0 ? t : t.substring(0, dot);
  }

  /** The GPU an instance type carries, e.g. H100 80GB for {@code p5.48xlarge}. */
  static Optional<GpuModel> byInstanceType(String instanceType) {
    return instanceType == null ? Optional.empty() : CATALOG.byOffering(family(instanceType));
  }

  /** The GPU of a node: GFD's product label, else its instance type. */
  static Optional<GpuModel> of(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    if (labels == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(labels.get(Eks.GPU_PRODUCT_LABEL)).flatMap(CATALOG::byProductLabel)
        .or(() -> byInstanceType(labels.get(Eks.INSTANCE_TYPE_LABEL)));
  }

  /** Families whose GPU partitions with MIG ({@code mig} true) or does not. */
  static List<String> families(boolean mig) {
    List<String> out = new ArrayList<>();
    CATALOG.offerings().forEach((family, gpu) -> {
      if (gpu.mig() == mig) {
        out.add(family);
      }
    });
    return out;
  }

  /** E.g. {@code p4d (A100 40GB), p5 (H100 80GB)}. */
  static String describe(List<String> families) {
    List<String> out = new ArrayList<>();
    for (String f : families) {
      out.add(f + " (" + CATALOG.byOffering(f).orElseThrow().name() + ")");
    }
    return String.join(", ", out);
  }
}
