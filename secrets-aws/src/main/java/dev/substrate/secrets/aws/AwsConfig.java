package dev.substrate.secrets.aws;

import dev.substrate.ConfigException;
import dev.substrate.SubstrateConfig;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code aws:} config section, shared by everything AWS (the {@code aws} substrate and the
 * {@code aws-secrets-manager} backend), and the region, which is {@code cluster.location}.
 *
 * <pre>{@code
 * cluster: {location: eu-central-1}        # the region; an availability zone (eu-central-1a) stands for its region
 * aws:
 *   account_id: "123456789012"             # optional: else role_arn's account; both set, they must agree
 *   role_arn: arn:aws:iam::123456789012:role/external-secrets   # the IAM role ESO assumes with its token
 *   audience: sts.amazonaws.com            # the token's aud, the IAM OIDC provider's client ID (default)
 *   web_identity_token_file: /var/run/secrets/eks.amazonaws.com/serviceaccount/token   # store(): assume role_arn
 *   secrets_manager:                       # the client of store() and `substrate secrets seed`
 *     endpoint: http://127.0.0.1:8080      # default: the SDK's endpoint for the region
 *     credentials_file: /path/credentials  # an AWS shared credentials file (static keys); default: the SDK's chain
 *     profile: default                     # the profile in it
 *   sts: {endpoint: http://127.0.0.1:8081} # default: the SDK's regional STS endpoint
 * }</pre>
 *
 * <p>Every key of the section is in {@link #KEYS}: a module that reads the section declares them all, so that no key
 * is unknown to one module and known to another.
 */
public final class AwsConfig {
  /** The section's name. */
  public static final String SECTION = "aws";
  /** Every top-level key of the {@code aws:} section, whichever module reads it. */
  public static final List<String> KEYS = List.of("account_id", "role_arn", "audience", "web_identity_token_file",
      "secrets_manager", "sts",
      // the aws substrate's (substrate-aws AwsSettings)
      "gpu_ami", "gpu_nodes", "efs_file_system_id", "ebs_kms_key_id", "snapshot_deletion_policy", "lb_target_type",
      "lb_controller_role_arn", "ebs_csi_role_arn", "efs_csi_role_arn");
  /** The keys of {@code aws.secrets_manager}. */
  public static final List<String> SECRETS_MANAGER_KEYS = List.of("endpoint", "credentials_file", "profile");
  /** The keys of {@code aws.sts}. */
  public static final List<String> STS_KEYS = List.of("endpoint");
  /** The audience IRSA and ESO use when none is set (ESO: {@code defaultTokenAudience}). */
  public static final String DEFAULT_AUDIENCE = "sts.amazonaws.com";
  /** ESO's ServiceAccount annotation naming the role to assume (ESO {@code roleARNAnnotation}, EKS IRSA). */
  public static final String ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";
  /** ESO's ServiceAccount annotation naming the token audience (ESO {@code audienceAnnotation}). */
  public static final String AUDIENCE_ANNOTATION = "eks.amazonaws.com/audience";

  /** An IAM role ARN, {@code arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME}. */
  public static final Pattern ROLE_ARN =
      Pattern.compile("arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):role/([\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}");
  private static final Pattern REGION = Pattern.compile("([a-z]{2}(-[a-z]+)+-\\d{1,2})([a-z])?");

  private AwsConfig() {}

  /**
   * The region named by {@code cluster.location}: a region as it is, an availability zone without its letter.
   *
   * @throws ConfigException when the location is missing or names no region
   */
  public static String region(SubstrateConfig config) {
    String location = config.cluster().location().orElse("");
    Optional<String> region = region(location);
    if (region.isEmpty()) {
      throw new ConfigException("cluster.location was '" + location + "' but must be the AWS region, such as "
          + "eu-central-1 (or an availability zone of it, such as eu-central-1a)");
    }
    return region.get();
  }

  /** The region {@code location} names (a region, or an availability zone of it), if any. */
  public static Optional<String> region(String location) {
    Matcher m = REGION.matcher(location == null ? "" : location.trim());
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * The trust policy for ESO's ServiceAccount ({@code secrets.namespace}/{@code secrets.service_account}) to assume
   * {@code aws.role_arn} with tokens of {@code issuer} for {@code aws.audience}.
   *
   * @throws ConfigException when the {@code aws:} section has problems or names no role
   */
  public static TrustPolicy trustPolicy(SubstrateConfig config, String issuer) {
    String role = roleArn(config).orElseThrow(() -> new ConfigException("aws.role_arn was '' but must name the IAM "
        + "role ESO assumes, arn:aws:iam::ACCOUNT:role/NAME"));
    return TrustPolicy.forRole(issuer, role, config.secrets().namespace(), config.secrets().serviceAccount(),
        audience(config));
  }

  /** {@code aws.role_arn}, if set. */
  public static Optional<String> roleArn(SubstrateConfig config) {
    return config.section(SECTION).map(s -> s.get("role_arn")).map(String::valueOf).map(String::trim)
        .filter(r -> !r.isEmpty());
  }

  /** {@code aws.audience}, else {@value #DEFAULT_AUDIENCE}. */
  public static String audience(SubstrateConfig config) {
    return config.section(SECTION).map(s -> s.get("audience")).map(String::valueOf).map(String::trim)
        .filter(a -> !a.isEmpty()).orElse(DEFAULT_AUDIENCE);
  }

  /** The account of a role ARN, if it is one. */
  public static Optional<String> accountOf(String roleArn) {
    Matcher m = ROLE_ARN.matcher(roleArn == null ? "" : roleArn);
    return m.matches() ? Optional.of(m.group(2)) : Optional.empty();
  }
}
