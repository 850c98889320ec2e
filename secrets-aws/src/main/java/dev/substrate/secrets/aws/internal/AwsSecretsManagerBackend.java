package dev.substrate.secrets.aws.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.ConfigException;
import dev.substrate.RenderContext;
import dev.substrate.SecretBackend;
import dev.substrate.SecretStore;
import dev.substrate.SecretStoreAuth;
import dev.substrate.SubstrateConfig;
import dev.substrate.secrets.aws.AwsConfig;
import dev.substrate.secrets.aws.AwsSecretStore;
import dev.substrate.secrets.aws.WebIdentityCredentials;
import dev.substrate.spi.Check;
import dev.substrate.spi.checks.ExternalSecretsChecks;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ESO's {@code aws} provider with {@code service: SecretsManager}, rendered for the configured
 * {@code secret_store_auth}: {@code workload-identity} is IRSA on EKS, {@code wif} the same web identity federation
 * off EKS (the cluster's own issuer registered as an IAM OIDC provider), {@code sa-key} an IAM user's access key.
 *
 * <p>Schema: external-secrets/external-secrets {@code apis/externalsecrets/v1/secretstore_aws_types.go} (7b503ae4)
 * and {@code config/crds/bases} v2.9.0. With {@code auth.jwt.serviceAccountRef}, ESO reads the role from the
 * ServiceAccount's {@value AwsConfig#ROLE_ARN_ANNOTATION} annotation and the audience from
 * {@value AwsConfig#AUDIENCE_ANNOTATION} (default {@value AwsConfig#DEFAULT_AUDIENCE}), mints a token for it with
 * TokenRequest and calls {@code AssumeRoleWithWebIdentity} ({@code providers/v1/aws/auth/auth.go},
 * {@code credsFromServiceAccount}, 0060da0b).
 */
final class AwsSecretsManagerBackend implements SecretBackend {
  /** The Secret holding an IAM user's access key for {@code sa-key} auth, created by the user. */
  static final String KEY_SECRET = "aws-access-key";
  static final String KEY_ID_KEY = "access-key-id";
  static final String SECRET_KEY_KEY = "secret-access-key";

  private final SubstrateConfig config;
  private final String substrateId;
  private final SecretStoreAuth auth;
  private final AwsSettings settings;
  private AwsSecretStore store;

  AwsSecretsManagerBackend(SubstrateConfig config, String substrateId) {
    this.config = config;
    this.substrateId = substrateId == null ? "" : substrateId;
    this.auth = config.secretStoreAuth().orElse(SecretStoreAuth.WORKLOAD_IDENTITY);
    this.settings = AwsSettings.from(config);
  }

  @Override
  public String id() {
    return AwsSecretsManagerProvider.ID;
  }

  private boolean onAws() {
    return "aws".equals(substrateId);
  }

  private String substrateName() {
    return substrateId.isEmpty() ? "non-aws" : substrateId;
  }

  /** The Kubernetes subject ESO's tokens carry. */
  private String subject() {
    return "system:serviceaccount:" + config.secrets().namespace() + ":" + config.secrets().serviceAccount();
  }

  private String serviceAccount() {
    return config.secrets().namespace() + "/" + config.secrets().serviceAccount();
  }

  @Override
  public List<Capability> capabilities() {
    List<Capability> capabilities = new ArrayList<>();
    String keyless = onAws() ? "workload-identity" : "wif";
    switch (auth) {
      case SA_KEY:
        capabilities.add(Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.UNSUPPORTED,
            "secret_store_auth sa-key authenticates with an IAM user's static access key",
            "use secret_store_auth " + keyless));
        capabilities.add(Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)
            .state(CapabilityState.NEEDS_ACTION).count(1)
            .reason("one long-lived IAM access key in Secret " + KEY_SECRET + " (keys " + KEY_ID_KEY + ", "
                + SECRET_KEY_KEY + ") in namespace " + config.secrets().namespace())
            .remedy("create the key Secret, rotate the key regularly, or switch to secret_store_auth " + keyless)
            .build());
        break;
      case WIF:
        capabilities.add(Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.NEEDS_ACTION,
            "ESO trades a short-lived token of its ServiceAccount (" + subject() + ") for temporary credentials of "
                + settings.roleArn().orElse("aws.role_arn") + " with sts:AssumeRoleWithWebIdentity; no key is stored",
            "register the cluster's issuer as an IAM OIDC provider (client ID " + settings.audience() + "), publish "
                + "the issuer documents where IAM can fetch them (substrate wif issuer --publish DIR), and give the "
                + "role the trust policy substrate wif aws-trust-policy prints"));
        capabilities.add(Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)
            .state(CapabilityState.SUPPORTED).count(0).reason("ESO trades short-lived ServiceAccount tokens for "
                + "temporary AWS credentials (AssumeRoleWithWebIdentity); no key is stored").build());
        break;
      default:
        if (onAws()) {
          capabilities.add(Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.SUPPORTED,
              "IRSA: ESO's ServiceAccount " + serviceAccount() + " assumes "
                  + settings.roleArn().orElse("the role its " + AwsConfig.ROLE_ARN_ANNOTATION + " annotation names")
                  + " with a short-lived token from the cluster's EKS OIDC issuer", null));
          capabilities.add(Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)
              .state(CapabilityState.SUPPORTED).count(0).reason("IRSA issues temporary credentials for short-lived "
                  + "ServiceAccount tokens").build());
        } else {
          capabilities.add(Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.UNSUPPORTED,
              "secret_store_auth workload-identity is IRSA, which trusts an EKS cluster's OIDC issuer; a "
                  + substrateName() + " cluster's issuer is not registered with IAM by EKS",
              "use secret_store_auth wif: register the cluster's own issuer as an IAM OIDC provider"));
          capabilities.add(Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)
              .state(CapabilityState.SUPPORTED).count(0).reason("secret_store_auth workload-identity stores no key "
                  + "(on " + substrateName() + " it cannot authenticate either; see " + CapabilityIds.SECRETS_KEYLESS
                  + ")").build());
        }
        break;
    }
    capabilities.add(access());
    return capabilities;
  }

  /**
   * {@value CapabilityIds#SECRETS_BACKEND_ACCESS}: the IAM permissions ESO's identity needs to read secrets (the
   * actions ESO's docs list, docs/provider/aws-access.md), and for IRSA without {@code aws.role_arn} the annotation.
   */
  private Capability access() {
    String region = AwsConfig.region(config.cluster().location().orElse("")).orElse("REGION");
    String account = settings.account().orElse("ACCOUNT_ID");
    String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
        + "\"secretsmanager:GetResourcePolicy\",\"secretsmanager:GetSecretValue\",\"secretsmanager:DescribeSecret\","
        + "\"secretsmanager:ListSecretVersionIds\"],\"Resource\":\"arn:aws:secretsmanager:" + region + ":" + account
        + ":secret:*\"}]}";
    if (auth == SecretStoreAuth.SA_KEY) {
      return Capability.of(CapabilityIds.SECRETS_BACKEND_ACCESS, CapabilityState.NEEDS_ACTION,
          "the IAM user whose access key is in Secret " + KEY_SECRET + " must be allowed to read the secrets",
          "aws iam put-user-policy --user-name USER --policy-name external-secrets-read --policy-document '"
              + policy + "'");
    }
    String role = settings.roleArn().map(r -> r.substring(r.lastIndexOf('/') + 1)).orElse("ROLE");
    String grant = "aws iam put-role-policy --role-name " + role + " --policy-name external-secrets-read "
        + "--policy-document '" + policy + "'";
    if (settings.roleArn().isEmpty()) {
      return Capability.of(CapabilityIds.SECRETS_BACKEND_ACCESS, CapabilityState.NEEDS_ACTION,
          "ESO's ServiceAccount " + serviceAccount() + " needs an IAM role that may read the secrets, named by its "
              + AwsConfig.ROLE_ARN_ANNOTATION + " annotation",
          "set aws.role_arn (then the annotated ServiceAccount is rendered), or annotate it through ESO's Helm values "
              + "(serviceAccount.annotations); " + grant);
    }
    return Capability.of(CapabilityIds.SECRETS_BACKEND_ACCESS, CapabilityState.NEEDS_ACTION,
        "the role " + settings.roleArn().get() + " must trust " + subject() + " and be allowed to read the secrets",
        grant);
  }

  /**
   * The ClusterSecretStore, after ESO's ServiceAccount annotated with the role (and a non-default audience) when
   * {@code aws.role_arn} is set and the auth is by token; ESO reads the role from that annotation.
   */
  @Override
  public List<HasMetadata> resources(RenderContext context) {
    GenericKubernetesResource store = clusterSecretStore(context);
    if (auth == SecretStoreAuth.SA_KEY || settings.roleArn().isEmpty()) {
      return List.of(store);
    }
    ServiceAccountBuilder account = new ServiceAccountBuilder()
        .withNewMetadata()
        .withName(config.secrets().serviceAccount())
        .withNamespace(config.secrets().namespace())
        .addToLabels("app.kubernetes.io/managed-by", "substrate")
        .addToAnnotations(AwsConfig.ROLE_ARN_ANNOTATION, settings.roleArn().get())
        .endMetadata();
    if (!settings.audience().equals(AwsConfig.DEFAULT_AUDIENCE)) {
      account.editMetadata().addToAnnotations(AwsConfig.AUDIENCE_ANNOTATION, settings.audience()).endMetadata();
    }
    return List.of(account.build(), store);
  }

  @Override
  public GenericKubernetesResource clusterSecretStore(RenderContext context) {
    String region = AwsConfig.region(config);
    if (auth == SecretStoreAuth.WIF && settings.roleArn().isEmpty()) {
      throw new ConfigException("aws.role_arn was '' but must name the IAM role ESO assumes with its token "
          + "(secret_store_auth wif), arn:aws:iam::ACCOUNT:role/NAME");
    }
    String namespace = config.secrets().namespace();
    Map<String, Object> authSpec = new LinkedHashMap<>();
    if (auth == SecretStoreAuth.SA_KEY) {
      Map<String, Object> secretRef = new LinkedHashMap<>();
      secretRef.put("accessKeyIDSecretRef", Map.of("name", KEY_SECRET, "key", KEY_ID_KEY, "namespace", namespace));
      secretRef.put("secretAccessKeySecretRef", Map.of("name", KEY_SECRET, "key", SECRET_KEY_KEY,
          "namespace", namespace));
      authSpec.put("secretRef", secretRef);
    } else {
      Map<String, Object> serviceAccountRef = new LinkedHashMap<>();
      serviceAccountRef.put("name", config.secrets().serviceAccount());
      serviceAccountRef.put("namespace", namespace);
      authSpec.put("jwt", Map.of("serviceAccountRef", serviceAccountRef));
    }
    Map<String, Object> aws = new LinkedHashMap<>();
    aws.put("service", "SecretsManager");
    aws.put("region", region);
    aws.put("auth", authSpec);
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("external-secrets.io/v1")
        .withKind("ClusterSecretStore")
        .withNewMetadata().withName(STORE_NAME).addToLabels("app.kubernetes.io/managed-by", "substrate").endMetadata()
        .addToAdditionalProperties("spec", Map.of("provider", Map.of("aws", aws)))
        .build();
  }

  /**
   * ESO's checks (the long-lived credential count from the capabilities: 0 by token, 1 with an access key) and, for
   * {@code wif}, the keyless chain: the issuer, the documents IAM reads, and a token STS must accept. The rendered
   * {@code external-secrets.io/v1} store needs ESO v0.16.0 (its first v1 API).
   */
  @Override
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>(ExternalSecretsChecks.forBackend(this, "aws", config));
    checks.add(ExternalSecretsChecks.version("v0.16.0", "the rendered external-secrets.io/v1 ClusterSecretStore"));
    if (auth == SecretStoreAuth.WIF) {
      String region;
      try {
        region = AwsConfig.region(config);
      } catch (ConfigException e) {
        String why = String.join("; ", e.problems());
        checks.add(Check.of(AwsWebIdentityChecks.ISSUER, Set.of(), snapshot ->
            CheckResult.fail(AwsWebIdentityChecks.ISSUER, "secret_store_auth wif is not configured: "
                + why, "set cluster.location to the AWS region")));
        return checks;
      }
      checks.addAll(new AwsWebIdentityChecks(settings, config.secrets(), region).all());
    }
    return checks;
  }

  /**
   * An {@link AwsSecretStore} in the region of {@code cluster.location}, at {@code aws.secrets_manager.endpoint}, with
   * the static keys of {@code aws.secrets_manager.credentials_file}, else the role {@code aws.role_arn} assumed with
   * the token in {@code aws.web_identity_token_file}, else the SDK's default chain (environment, profile, IRSA's
   * {@code AWS_ROLE_ARN}/{@code AWS_WEB_IDENTITY_TOKEN_FILE}, instance role); made on first use and kept.
   */
  @Override
  public synchronized SecretStore store() {
    if (store == null) {
      String region = AwsConfig.region(config);
      AwsSecretStore.Builder b = AwsSecretStore.builder().region(region);
      settings.secretsManagerEndpoint().ifPresent(b::endpoint);
      if (settings.credentialsFile().isPresent()) {
        b.credentialsFile(settings.credentialsFile().get(), settings.profile().orElse("default"));
      } else if (settings.webIdentityTokenFile().isPresent()) {
        String role = settings.roleArn().orElseThrow(() -> new ConfigException("aws.role_arn was '' but must name "
            + "the IAM role to assume with aws.web_identity_token_file, arn:aws:iam::ACCOUNT:role/NAME"));
        WebIdentityCredentials.Builder creds = WebIdentityCredentials.builder().roleArn(role).region(region)
            .tokenFile(settings.webIdentityTokenFile().get());
        settings.stsEndpoint().ifPresent(creds::stsEndpoint);
        b.webIdentity(creds);
      }
      store = b.build();
    }
    return store;
  }

  Optional<String> roleArn() {
    return settings.roleArn();
  }
}
