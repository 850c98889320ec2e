package dev.substrate.aws.internal;

import dev.substrate.SubstrateConfig;

/**
 * Names EKS and its add-ons give things. Node labels: managed node groups set {@code eks.amazonaws.com/nodegroup},
 * {@code eks.amazonaws.com/capacityType} and {@code eks.amazonaws.com/nodegroup-image}
 * (https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html); Karpenter sets
 * {@code karpenter.sh/nodepool} and {@code karpenter.k8s.aws/instance-gpu-*} (aws/karpenter-provider-aws
 * pkg/apis/v1/labels.go); Fargate, hybrid and Auto Mode nodes carry {@code eks.amazonaws.com/compute-type}.
 */
final class Eks {
  static final String NODEGROUP_LABEL = "eks.amazonaws.com/nodegroup";
  static final String CAPACITY_TYPE_LABEL = "eks.amazonaws.com/capacityType";
  static final String COMPUTE_TYPE_LABEL = "eks.amazonaws.com/compute-type";
  static final String NODEPOOL_LABEL = "karpenter.sh/nodepool";
  static final String KARPENTER_GPU_NAME_LABEL = "karpenter.k8s.aws/instance-gpu-name";
  static final String KARPENTER_GPU_COUNT_LABEL = "karpenter.k8s.aws/instance-gpu-count";
  static final String INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";
  static final String ZONE_LABEL = "topology.kubernetes.io/zone";
  /** GFD's product label, e.g. {@code NVIDIA-H100-80GB-HBM3}. */
  static final String GPU_PRODUCT_LABEL = "nvidia.com/gpu.product";
  static final String PROVIDER_ID_SCHEME = "aws://";

  static final String EBS_PROVISIONER = "ebs.csi.aws.com";
  static final String EFS_PROVISIONER = "efs.csi.aws.com";

  static final String LB_CONTROLLER = "aws-load-balancer-controller";
  static final String LB_CONTROLLER_NAMESPACE = "kube-system";

  private Eks() {}

  /** {@code eksctl}/{@code aws} arguments naming the configured cluster, with placeholders for what config lacks. */
  static String clusterArgs(SubstrateConfig config) {
    return "--cluster " + config.cluster().name().orElse("CLUSTER") + " --region "
        + config.cluster().location().orElse("REGION");
  }
}
