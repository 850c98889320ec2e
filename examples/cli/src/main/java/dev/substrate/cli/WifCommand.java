package dev.substrate.cli;

import dev.substrate.SubstrateConfig;
import dev.substrate.secrets.aws.AwsConfig;
import dev.substrate.secrets.aws.TrustPolicy;
import dev.substrate.secrets.wif.CredentialConfiguration;
import dev.substrate.secrets.wif.IssuerDocuments;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code substrate wif}: the keyless trust root off GKE — the cluster's issuer, the credential configuration, a token. */
@Command(name = "wif", description = "Workload Identity Federation: publish the cluster's OIDC issuer, write the "
    + "credential configuration, obtain a federated token.",
    subcommands = {WifCommand.Issuer.class, WifCommand.CredConfig.class, WifTokenCommand.class,
        WifCommand.AwsTrustPolicy.class})
final class WifCommand implements Runnable {
  /** Where a pod's projected service-account token for the pool provider is mounted by default. */
  static final String DEFAULT_TOKEN_PATH = "/var/run/secrets/tokens/gcp-token";

  @Override
  public void run() {
    throw new CliException("wif needs a subcommand: issuer, cred-config, token or aws-trust-policy");
  }

  /** {@code substrate wif issuer [--publish DIR]}. */
  @Command(name = "issuer", description = {
      "Read the cluster's OIDC issuer documents (/.well-known/openid-configuration and /openid/v1/jwks) and check "
          + "them: https issuer without query or fragment, the discovery fields, public keys only, unique kids, "
          + "algorithms that match the keys.",
      "Prints the issuer, the keys and what to change when Google cannot reach the issuer. With --publish DIR, writes "
          + "both documents laid out for hosting at the issuer URL (or for uploading the JWKS to the pool provider).",
      "Exit 0 when the documents are sound, 1 when they have problems (nothing is written then), 2 for bad input."})
  static final class Issuer implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClusterOptions cluster;

    @Option(names = "--publish", paramLabel = "DIR",
        description = "Write DIR/.well-known/openid-configuration and DIR/openid/v1/jwks.")
    Path publish;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      IssuerDocuments docs;
      try (ClusterAccess access = cluster.open(err, "wif issuer")) {
        docs = access.call(IssuerDocuments::read);
      }
      out.println("issuer    " + docs.issuer());
      out.println("jwks_uri  " + docs.jwksUri());
      docs.keys().getKeys().forEach(k -> out.println("key       " + k.getKeyID() + " " + k.getKeyType()
          + (k.getAlgorithm() == null ? "" : " " + k.getAlgorithm())));
      docs.problems().forEach(p -> out.println("problem   " + p));
      docs.advice().forEach(a -> out.println("advice    " + a));
      out.flush();
      if (!docs.problems().isEmpty()) {
        ConfigOptions.progress(err, docs.problems().size() + " problems in the issuer documents; nothing published");
        return SubstrateCli.FAILED;
      }
      if (publish != null) {
        if (Files.exists(publish) && !Files.isDirectory(publish)) {
          throw new CliException("--publish was '" + publish + "' but must be a directory");
        }
        for (Path file : docs.publish(publish)) {
          ConfigOptions.progress(err, "wrote " + file);
        }
      }
      return 0;
    }
  }

  /** {@code substrate wif aws-trust-policy}. */
  @Command(name = "aws-trust-policy", description = {
      "Print the trust policy of the IAM role ESO assumes off EKS (aws.role_arn): the cluster's issuer as an IAM OIDC "
          + "provider, sts:AssumeRoleWithWebIdentity, and StringEquals on ISSUER:sub (ESO's ServiceAccount, "
          + "secrets.namespace and secrets.service_account) and ISSUER:aud (aws.audience, default sts.amazonaws.com).",
      "The issuer is --issuer, else the cluster's (--kubeconfig or --embedded). The policy goes to standard output; "
          + "the AWS CLI commands that create the OIDC provider and the role go to standard error.",
      "Exit 0 when printed, 2 for bad input."})
  static final class AwsTrustPolicy implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOptions config;
    @Mixin ClusterOptions cluster;

    @Option(names = "--issuer", paramLabel = "URL",
        description = "The cluster's service-account issuer (https), instead of reading it from the cluster.")
    String issuer;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      SubstrateConfig loaded = config.load();
      String url = issuer;
      if (url == null) {
        if (!cluster.given()) {
          throw new CliException("wif aws-trust-policy needs the issuer: pass --issuer URL, or a cluster to read it "
              + "from (--kubeconfig FILE or --embedded PRESET)");
        }
        try (ClusterAccess access = cluster.open(err, "wif aws-trust-policy")) {
          url = access.call(IssuerDocuments::read).issuer();
        }
      }
      TrustPolicy policy;
      try {
        policy = AwsConfig.trustPolicy(loaded, url);
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage());
      }
      spec.commandLine().getOut().println(policy.json());
      spec.commandLine().getOut().flush();
      String role = AwsConfig.roleArn(loaded).orElseThrow();
      ConfigOptions.progress(err, "IAM OIDC provider " + policy.providerArn() + ": " + policy.createProviderCommand());
      ConfigOptions.progress(err, "the role, with this policy saved as trust.json: "
          + policy.createRoleCommand(role.substring(role.lastIndexOf('/') + 1), "trust.json"));
      return 0;
    }
  }

  /** {@code substrate wif cred-config}. */
  @Command(name = "cred-config", description = {
      "Write the external_account credential configuration for the config's wif.audience and "
          + "wif.service_account_email, as gcloud iam workload-identity-pools create-cred-config does for the same "
          + "inputs.",
      "Needs no cluster. Exit 0 when written, 2 for bad input."})
  static final class CredConfig implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOptions config;

    @Option(names = "--credential-source-file", paramLabel = "PATH",
        description = "The projected service-account token file (default: " + DEFAULT_TOKEN_PATH + ").")
    String file;

    @Option(names = "--credential-source-url", paramLabel = "URL",
        description = "A URL that answers the subject token instead of a file.")
    String url;

    @Option(names = "--service-account-token-lifetime-seconds", paramLabel = "SECONDS",
        description = "The impersonated token's lifetime, 600-43200 (needs wif.service_account_email).")
    Integer lifetime;

    @Option(names = {"-o", "--output-file"}, paramLabel = "FILE",
        description = "Write to FILE (default: standard output).")
    Path output;

    @Override
    public Integer call() {
      if (file != null && url != null) {
        throw new CliException("--credential-source-file and --credential-source-url are two sources: pass only one");
      }
      SubstrateConfig loaded = config.load();
      CredentialConfiguration.Builder b = CredentialConfiguration.builder().wif(loaded);
      if (url != null) {
        b.url(url, java.util.Map.of());
      } else {
        b.file(file == null ? DEFAULT_TOKEN_PATH : file);
      }
      if (lifetime != null) {
        b.tokenLifetimeSeconds(lifetime);
      }
      CredentialConfiguration credentials = b.build();
      if (output == null) {
        spec.commandLine().getOut().print(credentials.toJson());
        spec.commandLine().getOut().flush();
      } else {
        writeAtomically(output, credentials);
        ConfigOptions.progress(spec.commandLine().getErr(), "wrote " + output);
      }
      return 0;
    }

    private static void writeAtomically(Path output, CredentialConfiguration credentials) {
      Path dir = output.toAbsolutePath().getParent();
      if (dir == null || !Files.isDirectory(dir)) {
        throw new CliException("--output-file was '" + output + "' but its directory does not exist");
      }
      try {
        Path partial = Files.createTempFile(dir, ".cred-config", ".partial");
        try {
          credentials.write(partial);
          move(partial, output);
        } finally {
          Files.deleteIfExists(partial);
        }
      } catch (IOException | RuntimeException e) {
        throw new CliException("--output-file '" + output + "' could not be written: " + ClusterAccess.why(e));
      }
    }

    private static void move(Path from, Path to) throws IOException {
      try {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
