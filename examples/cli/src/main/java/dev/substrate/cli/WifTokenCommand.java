package dev.substrate.cli;

import dev.substrate.SubstrateConfig;
import dev.substrate.secrets.wif.CredentialConfiguration;
import dev.substrate.secrets.wif.FederatedCredentials;
import dev.substrate.secrets.wif.FederatedToken;
import dev.substrate.secrets.wif.TokenRequestSubjectToken;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code substrate wif token}: the whole keyless chain once, as ESO runs it. */
@Command(name = "token", description = {
    "Mint a token for ESO's ServiceAccount (secrets.namespace/secrets.service_account) with the TokenRequest API, "
        + "audience wif.audience, exchange it at Google STS and, with wif.service_account_email, impersonate that "
        + "service account: what ESO does for the ClusterSecretStore.",
    "Prints the principal and the expiry; the access token itself only with --show. With --embedded, fakes of STS and "
        + "IAM Credentials that trust the embedded cluster's issuer answer instead of Google.",
    "Exit 0 with a token, 1 when a step refused, 2 for bad input."})
final class WifTokenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOptions config;
  @Mixin ClusterOptions cluster;

  @Option(names = "--show", description = "Also print the access token (it grants what the principal may do).")
  boolean show;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SubstrateConfig loaded = config.load();
    CredentialConfiguration wif = CredentialConfiguration.builder().wif(loaded).file(WifCommand.DEFAULT_TOKEN_PATH)
        .build();
    String namespace = loaded.secrets().namespace();
    String name = loaded.secrets().serviceAccount();
    try (ClusterAccess access = cluster.open(err, "wif token")) {
      TokenRequestSubjectToken subject = new TokenRequestSubjectToken(access.client(), namespace, name,
          wif.audience(), Duration.ofHours(1));
      FederatedCredentials.Builder credentials = FederatedCredentials.builder().audience(wif.audience())
          .subjectTokenSupplier(subject);
      wif.serviceAccountEmail().ifPresent(credentials::serviceAccountEmail);
      EmbeddedGoogle google = access.embedded().map(c -> EmbeddedGoogle.start(c, wif.audience(), subject.subject(),
          wif.serviceAccountEmail(), err)).orElse(null);
      try {
        if (google != null) {
          credentials.tokenUrl(google.tokenUrl()).transportFactory(google.transport());
        }
        ConfigOptions.progress(err, "exchanging a token for " + subject.subject() + " at STS"
            + wif.serviceAccountEmail().map(e -> ", then acting as " + e).orElse("") + "…");
        FederatedToken token = credentials.build().token();
        out.println("principal  " + token.principal());
        out.println("expires    " + token.expiresAt().map(t -> t + " (in " + minutes(t) + ")").orElse("unknown"));
        if (show) {
          out.println("token      " + token.value());
        }
        out.flush();
        return 0;
      } finally {
        if (google != null) {
          google.close();
        }
      }
    }
  }

  private static String minutes(Instant at) {
    long m = Duration.between(Instant.now(Clock.systemUTC()), at).toMinutes();
    return m + (m == 1 ? " minute" : " minutes");
  }
}
