package dev.substrate.secrets.aws;

import dev.substrate.SubstrateException;
import dev.substrate.secrets.aws.internal.TokenRequests;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.auth.StsCredentialsProvider;
import software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;

/**
 * Temporary AWS credentials for a Kubernetes ServiceAccount token, through STS {@code AssumeRoleWithWebIdentity}
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html) with the AWS SDK's own
 * web-identity providers: {@code StsWebIdentityTokenFileCredentialsProvider} for a projected token file (re-read at
 * each refresh, as IRSA mounts it), {@code StsAssumeRoleWithWebIdentityCredentialsProvider} for a token minted on
 * demand, such as {@link #tokenRequest} (the TokenRequest API) with audience {@value AwsConfig#DEFAULT_AUDIENCE}. The SDK caches the credentials and refreshes them before they expire, once for
 * all callers. The call to STS is unsigned; no long-lived credential is involved.
 *
 * <pre>{@code
 * try (WebIdentityCredentials creds = WebIdentityCredentials.builder()
 *     .roleArn("arn:aws:iam::123456789012:role/external-secrets").region("eu-central-1")
 *     .token(WebIdentityCredentials.tokenRequest(client, "external-secrets", "external-secrets",
 *         "sts.amazonaws.com", Duration.ofHours(1)))
 *     .build()) {
 *   AwsSecretStore store = AwsSecretStore.builder().region("eu-central-1").credentials(creds).build();
 * }
 * }</pre>
 *
 * <p>A token that cannot be minted is a {@link SubstrateException} without the token; STS refusals (wrong audience,
 * subject or key) are the SDK's {@code StsException}, whose message is STS's, which never quotes the token.
 */
public final class WebIdentityCredentials implements AwsCredentialsProvider, AutoCloseable {
  /** Where a web identity token comes from; asked once per refresh. */
  @FunctionalInterface
  public interface TokenSource {
    String token() throws IOException;
  }

  private final StsClient sts;
  private final StsCredentialsProvider provider;
  private final String roleArn;

  private WebIdentityCredentials(StsClient sts, StsCredentialsProvider provider, String roleArn) {
    this.sts = sts;
    this.provider = provider;
    this.roleArn = roleArn;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Tokens for ServiceAccount {@code namespace}/{@code name} from the TokenRequest API ({@code POST
   * /api/v1/namespaces/NS/serviceaccounts/NAME/token}) with {@code audience}, valid {@code lifetime} (at least 10
   * min); a refusal (a missing ServiceAccount, no permission) keeps its HTTP status and is not retried.
   */
  public static TokenSource tokenRequest(KubernetesClient client, String namespace, String name, String audience,
      Duration lifetime) {
    TokenRequests requests = new TokenRequests(client, namespace, name, audience, lifetime);
    return requests::mint;
  }

  /** The role assumed. */
  public String roleArn() {
    return roleArn;
  }

  @Override
  public AwsCredentials resolveCredentials() {
    return provider.resolveCredentials();
  }

  @Override
  public void close() {
    provider.close();
    sts.close();
  }

  @Override
  public String toString() {
    return "WebIdentityCredentials[" + roleArn + "]";
  }

  /** Options: the role, the region (and STS endpoint), and where the token comes from. */
  public static final class Builder {
    private String roleArn;
    private String region;
    private URI stsEndpoint;
    private Path tokenFile;
    private TokenSource token;
    private String sessionName = "substrate";

    private Builder() {}

    /** The role to assume, {@code arn:aws:iam::ACCOUNT:role/NAME}. */
    public Builder roleArn(String value) {
      if (value == null || !AwsConfig.ROLE_ARN.matcher(value).matches()) {
        throw new IllegalArgumentException("not an IAM role ARN: '" + value + "' (arn:aws:iam::ACCOUNT:role/NAME)");
      }
      this.roleArn = value;
      return this;
    }

    /** The region whose STS endpoint is called. */
    public Builder region(String value) {
      this.region = AwsConfig.region(value).filter(r -> r.equals(value))
          .orElseThrow(() -> new IllegalArgumentException("not an AWS region: '" + value + "'"));
      return this;
    }

    /** Another STS endpoint than the region's, such as {@code http://127.0.0.1:PORT} for a local fake. */
    public Builder stsEndpoint(String value) {
      this.stsEndpoint = URI.create(Objects.requireNonNull(value, "stsEndpoint"));
      return this;
    }

    /** A projected token file, re-read at each refresh (IRSA's {@code AWS_WEB_IDENTITY_TOKEN_FILE}). */
    public Builder tokenFile(Path value) {
      this.tokenFile = Objects.requireNonNull(value, "tokenFile");
      this.token = null;
      return this;
    }

    /** A token minted at each refresh, such as {@link WebIdentityCredentials#tokenRequest}'s. */
    public Builder token(TokenSource value) {
      this.token = Objects.requireNonNull(value, "token");
      this.tokenFile = null;
      return this;
    }

    /** The role session name ({@code [\w+=,.@-]}, 2-64 characters; default {@code substrate}). */
    public Builder sessionName(String value) {
      if (value == null || !value.matches("[\\w+=,.@-]{2,64}")) {
        throw new IllegalArgumentException("a role session name is 2-64 of [\\w+=,.@-]: '" + value + "'");
      }
      this.sessionName = value;
      return this;
    }

    public WebIdentityCredentials build() {
      if (roleArn == null || region == null || (tokenFile == null && token == null)) {
        throw new IllegalStateException("WebIdentityCredentials needs roleArn, region, and tokenFile or token");
      }
      StsClientBuilder b = StsClient.builder().region(Region.of(region))
          .credentialsProvider(AnonymousCredentialsProvider.create());
      if (stsEndpoint != null) {
        b.endpointOverride(stsEndpoint);
      }
      StsClient sts = b.build();
      StsCredentialsProvider provider;
      if (tokenFile != null) {
        provider = StsWebIdentityTokenFileCredentialsProvider.builder().stsClient(sts).roleArn(roleArn)
            .roleSessionName(sessionName).webIdentityTokenFile(tokenFile).build();
      } else {
        TokenSource source = token;
        String role = roleArn;
        String session = sessionName;
        provider = StsAssumeRoleWithWebIdentityCredentialsProvider.builder().stsClient(sts)
            .refreshRequest(() -> AssumeRoleWithWebIdentityRequest.builder().roleArn(role).roleSessionName(session)
                .webIdentityToken(mint(source)).build())
            .build();
      }
      return new WebIdentityCredentials(sts, provider, roleArn);
    }

    private static String mint(TokenSource source) {
      try {
        return source.token();
      } catch (IOException e) {
        throw new UncheckedIOException(new IOException("could not mint a web identity token: "
            + SubstrateException.describe(e)));
      }
    }
  }
}
