package dev.substrate.aws.internal;

import dev.substrate.SubstrateConfig;
import dev.substrate.spi.ConfigSection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code aws:} config section: what AWS alone needs beside {@code cluster.location} (the region).
 *
 * <pre>{@code
 * aws:
 *   account_id: "123456789012"
 *   gpu_ami: al2023                      # al2023 (EKS-optimised AL2023 NVIDIA) | bottlerocket
 *   gpu_nodes: karpenter                 # managed-node-groups | karpenter: who scales GPU nodes
 *   efs_file_system_id: fs-0123456789abcdef0   # the EFS file system behind storage.shared_weights
 *   ebs_kms_key_id: arn:aws:kms:eu-west-1:123456789012:key/...   # else AWS's default key for EBS
 *   snapshot_deletion_policy: Delete     # of the rendered VolumeSnapshotClass
 *   lb_target_type: ip                   # ip | instance: NLB targets
 *   lb_controller_role_arn: arn:aws:iam::123456789012:role/aws-load-balancer-controller
 *   ebs_csi_role_arn: arn:aws:iam::123456789012:role/ebs-csi
 *   efs_csi_role_arn: arn:aws:iam::123456789012:role/efs-csi
 * }</pre>
 */
record AwsSettings(Optional<String> accountId, String gpuAmi, String gpuNodes, Optional<String> efsFileSystemId,
    Optional<String> ebsKmsKeyId, String snapshotDeletionPolicy, String lbTargetType,
    Optional<String> lbControllerRoleArn, Optional<String> ebsCsiRoleArn, Optional<String> efsCsiRoleArn) {
  static final String SECTION = "aws";
  /**
   * Every key of the section, the secrets backend's too: secrets-aws reads the same section
   * ({@code dev.substrate.secrets.aws.AwsConfig.KEYS} lists the same keys), and a key one module knows must not be
   * unknown to the other. Only the first line's keys are read here.
   */
  static final List<String> KEYS = List.of("account_id", "gpu_ami", "gpu_nodes", "efs_file_system_id",
      "ebs_kms_key_id", "snapshot_deletion_policy", "lb_target_type", "lb_controller_role_arn", "ebs_csi_role_arn",
      "efs_csi_role_arn",
      "role_arn", "audience", "web_identity_token_file", "secrets_manager", "sts");
  static final String AL2023 = "al2023";
  static final String BOTTLEROCKET = "bottlerocket";
  static final String MANAGED_NODE_GROUPS = "managed-node-groups";
  static final String KARPENTER = "karpenter";

  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
  /** EFS file system ids: {@code fs-} and 8 or 17 hex digits (EFS API reference, FileSystemId pattern). */
  private static final Pattern FILE_SYSTEM = Pattern.compile("fs-[0-9a-f]{8}([0-9a-f]{9})?");
  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::([0-9]{12}):role/[\\w+=,.@/-]{1,512}");
  private static final Pattern KMS_KEY = Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/\\S+");

  /** Reads the section, reporting every problem at once. */
  static AwsSettings from(SubstrateConfig config) {
    ConfigSection s = ConfigSection.of(config, SECTION, KEYS);
    Optional<String> account = s.string("account_id", ACCOUNT.asMatchPredicate(),
        "must be the 12-digit AWS account id, quoted (\"123456789012\")");
    String ami = s.choice("gpu_ami", AL2023, List.of(AL2023, BOTTLEROCKET), "must be al2023 or bottlerocket");
    String nodes = s.choice("gpu_nodes", MANAGED_NODE_GROUPS, List.of(MANAGED_NODE_GROUPS, KARPENTER),
        "must be managed-node-groups or karpenter");
    Optional<String> efs = s.string("efs_file_system_id", FILE_SYSTEM.asMatchPredicate(),
        "must be an EFS file system id such as fs-0123456789abcdef0");
    Optional<String> kms = s.string("ebs_kms_key_id", KMS_KEY.asMatchPredicate(),
        "must be the full ARN of a KMS key (arn:aws:kms:REGION:ACCOUNT:key/ID), as the EBS CSI driver's kmsKeyId "
            + "parameter takes it");
    String policy = s.choice("snapshot_deletion_policy", "Delete", List.of("Delete", "Retain"),
        "must be Delete or Retain");
    String target = s.choice("lb_target_type", "ip", List.of("ip", "instance"), "must be ip or instance");
    Optional<String> lbRole = role(s, "lb_controller_role_arn", account);
    Optional<String> ebsRole = role(s, "ebs_csi_role_arn", account);
    Optional<String> efsRole = role(s, "efs_csi_role_arn", account);
    s.check();
    return new AwsSettings(account, ami, nodes, efs, kms, policy, target, lbRole, ebsRole, efsRole);
  }

  /** An IAM role ARN; with {@code account_id} set, of that account. */
  private static Optional<String> role(ConfigSection s, String key, Optional<String> account) {
    Optional<String> arn = s.string(key, ROLE_ARN.asMatchPredicate(),
        "must be an IAM role ARN such as arn:aws:iam::123456789012:role/NAME");
    if (arn.isPresent() && account.isPresent()) {
      var m = ROLE_ARN.matcher(arn.get());
      if (m.matches() && !m.group(1).equals(account.get())) {
        s.problem(key, arn.get(), "must be a role of aws.account_id " + account.get());
        return Optional.empty();
      }
    }
    return arn;
  }

  boolean bottlerocket() {
    return BOTTLEROCKET.equals(gpuAmi);
  }

  boolean karpenter() {
    return KARPENTER.equals(gpuNodes);
  }
}
