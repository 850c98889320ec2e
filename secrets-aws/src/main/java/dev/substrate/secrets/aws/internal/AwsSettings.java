package dev.substrate.secrets.aws.internal;

import dev.substrate.SubstrateConfig;
import dev.substrate.secrets.aws.AwsConfig;
import dev.substrate.spi.ConfigSection;
import dev.substrate.spi.Redaction;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/** The {@code aws:} section as the backend reads it (see {@link AwsConfig} for the keys). */
record AwsSettings(Optional<String> accountId, Optional<String> roleArn, String audience,
    Optional<Path> webIdentityTokenFile, Optional<String> secretsManagerEndpoint, Optional<Path> credentialsFile,
    Optional<String> profile, Optional<String> stsEndpoint) {
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern PROFILE = Pattern.compile("[\\w.+@-]{1,64}");

  static AwsSettings from(SubstrateConfig config) {
    ConfigSection section = ConfigSection.of(config, AwsConfig.SECTION, AwsConfig.KEYS);
    Optional<String> account = section.string("account_id", a -> ACCOUNT.matcher(a).matches(),
        "must be the 12-digit AWS account id (quote it, so YAML keeps leading zeros)");
    Optional<String> role = section.string("role_arn", r -> AwsConfig.ROLE_ARN.matcher(r).matches(),
        "must be an IAM role ARN, arn:aws:iam::ACCOUNT:role/NAME");
    if (account.isPresent() && role.isPresent() && !AwsConfig.accountOf(role.get()).orElse("").equals(account.get())) {
      section.problem("role_arn", role.get(), "must be a role of account_id " + account.get());
    }
    String audience = section.string("audience", AwsConfig.DEFAULT_AUDIENCE);
    if (audience.length() > 255 || audience.chars().anyMatch(Character::isWhitespace)) {
      section.problem("audience", audience, "must be the IAM OIDC provider's client ID (default "
          + AwsConfig.DEFAULT_AUDIENCE + "), 1-255 characters without spaces");
    }
    Optional<String> tokenFile = section.secretFile("web_identity_token_file",
        "/var/run/secrets/eks.amazonaws.com/serviceaccount/token");
    ConfigSection sm = section.section("secrets_manager", AwsConfig.SECRETS_MANAGER_KEYS);
    Optional<String> endpoint = endpoint(sm);
    Optional<String> credentials = sm.secretFile("credentials_file", "~/.aws/credentials");
    Optional<String> profile = sm.string("profile", p -> PROFILE.matcher(p).matches(),
        "must be a profile name of the credentials file, such as default");
    ConfigSection sts = section.section("sts", AwsConfig.STS_KEYS);
    Optional<String> stsEndpoint = endpoint(sts);
    section.check();
    return new AwsSettings(account, role, audience, tokenFile.map(Path::of), endpoint, credentials.map(Path::of),
        profile, stsEndpoint);
  }

  private static Optional<String> endpoint(ConfigSection section) {
    Optional<String> url = section.string("endpoint");
    if (url.isPresent() && !url.get().matches("https?://[^\\s/?#@]+(/[^\\s?#]*)?")) {
      section.report("endpoint", "is not a plain http(s) URL (its value is not shown, as it may hold credentials): "
          + "it must be one such as " + Redaction.url("https://secretsmanager.eu-central-1.amazonaws.com"));
      return Optional.empty();
    }
    return url;
  }

  /** The account: {@code account_id}, else the role's. */
  Optional<String> account() {
    return accountId.isPresent() ? accountId : roleArn.flatMap(AwsConfig::accountOf);
  }
}
