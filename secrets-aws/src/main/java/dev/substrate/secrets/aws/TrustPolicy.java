package dev.substrate.secrets.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The IAM side of web identity federation for one ServiceAccount: the OIDC provider that trusts the cluster's issuer,
 * and the role trust policy that lets the ServiceAccount's tokens assume the role — as EKS documents it for IRSA
 * (https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html: principal
 * {@code Federated arn:aws:iam::ACCOUNT:oidc-provider/ISSUER_HOST_PATH}, action {@code sts:AssumeRoleWithWebIdentity},
 * {@code StringEquals} on {@code ISSUER_HOST_PATH:sub} = {@code system:serviceaccount:NS:NAME} and
 * {@code ISSUER_HOST_PATH:aud} = {@code sts.amazonaws.com}). Off EKS the issuer is the cluster's own, whose discovery
 * document and JWKS must be publicly reachable over https where IAM fetches them
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html).
 *
 * <pre>{@code
 * TrustPolicy policy = TrustPolicy.of("https://oidc.example.com/k3s", "123456789012", "external-secrets",
 *     "external-secrets", "sts.amazonaws.com");
 * policy.json();                 // the role's assume-role policy document
 * policy.createProviderCommand(); // aws iam create-open-id-connect-provider --url ... --client-id-list ...
 * }</pre>
 */
public final class TrustPolicy {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String issuer;
  private final String partition;
  private final String account;
  private final String subject;
  private final String audience;

  private TrustPolicy(String issuer, String partition, String account, String subject, String audience) {
    this.issuer = issuer;
    this.partition = partition;
    this.account = account;
    this.subject = subject;
    this.audience = audience;
  }

  /**
   * The policy for tokens of {@code namespace}/{@code serviceAccount} from {@code issuer} (an https URL) with
   * audience {@code audience}, for a role in {@code account} (12 digits) of the {@code aws} partition.
   */
  public static TrustPolicy of(String issuer, String account, String namespace, String serviceAccount,
      String audience) {
    return create(issuer, "aws", account, "system:serviceaccount:" + namespace + ":" + serviceAccount, audience);
  }

  /** As {@link #of(String, String, String, String, String)}, for a role ARN's partition and account. */
  public static TrustPolicy forRole(String issuer, String roleArn, String namespace, String serviceAccount,
      String audience) {
    if (roleArn == null || !AwsConfig.ROLE_ARN.matcher(roleArn).matches()) {
      throw new IllegalArgumentException("not an IAM role ARN: '" + roleArn + "'");
    }
    String partition = roleArn.split(":", 3)[1];
    return create(issuer, partition, AwsConfig.accountOf(roleArn).orElseThrow(),
        "system:serviceaccount:" + namespace + ":" + serviceAccount, audience);
  }

  private static TrustPolicy create(String issuer, String partition, String account, String subject, String audience) {
    Objects.requireNonNull(issuer, "issuer");
    URI uri = URI.create(issuer);
    if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getQuery() != null
        || uri.getFragment() != null) {
      throw new IllegalArgumentException("an IAM OIDC provider's issuer is an https URL without query or fragment: '"
          + issuer + "'");
    }
    if (account == null || !account.matches("\\d{12}")) {
      throw new IllegalArgumentException("an AWS account id is 12 digits: '" + account + "'");
    }
    return new TrustPolicy(issuer, partition, account, Objects.requireNonNull(subject, "subject"),
        Objects.requireNonNull(audience, "audience"));
  }

  /** The issuer without {@code https://} and trailing slash: the OIDC provider's name and the condition keys' prefix. */
  public String issuerHostPath() {
    String hostPath = issuer.substring("https://".length());
    return hostPath.endsWith("/") ? hostPath.substring(0, hostPath.length() - 1) : hostPath;
  }

  /** {@code arn:aws:iam::ACCOUNT:oidc-provider/ISSUER_HOST_PATH}. */
  public String providerArn() {
    return "arn:" + partition + ":iam::" + account + ":oidc-provider/" + issuerHostPath();
  }

  /** The token subject the policy admits, {@code system:serviceaccount:NS:NAME}. */
  public String subject() {
    return subject;
  }

  public String audience() {
    return audience;
  }

  /** The role's trust (assume-role) policy document. */
  public String json() {
    Map<String, Object> condition = new LinkedHashMap<>();
    condition.put(issuerHostPath() + ":sub", subject);
    condition.put(issuerHostPath() + ":aud", audience);
    Map<String, Object> statement = new LinkedHashMap<>();
    statement.put("Effect", "Allow");
    statement.put("Principal", Map.of("Federated", providerArn()));
    statement.put("Action", "sts:AssumeRoleWithWebIdentity");
    statement.put("Condition", Map.of("StringEquals", condition));
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("Version", "2012-10-17");
    policy.put("Statement", List.of(statement));
    try {
      return JSON.writeValueAsString(policy);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The AWS CLI command that registers the issuer as an IAM OIDC provider with the audience as its client ID. */
  public String createProviderCommand() {
    return "aws iam create-open-id-connect-provider --url " + issuer + " --client-id-list " + audience;
  }

  /** The AWS CLI command that creates role {@code roleName} with this policy saved as {@code file}. */
  public String createRoleCommand(String roleName, String file) {
    return "aws iam create-role --role-name " + roleName + " --assume-role-policy-document file://" + file;
  }

  @Override
  public String toString() {
    return "TrustPolicy[" + providerArn() + ", sub " + subject + ", aud " + audience + "]";
  }
}
