package dev.substrate.cli;

import com.google.api.client.http.javanet.ConnectionFactory;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import dev.substrate.cloudfakes.TestTls;
import dev.substrate.cloudfakes.google.FakeGoogleSts;
import dev.substrate.cloudfakes.google.FakeIamCredentials;
import dev.substrate.kubefake.EmbeddedCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * For {@code wif token} on an embedded cluster: fakes of Google STS and IAM Credentials over HTTPS with the testkit's
 * test CA, the pool provider trusting the embedded cluster's issuer, and the ServiceAccount's principal allowed to act
 * as the Google service account. Requests to {@code iamcredentials.googleapis.com} go to the fake; nothing leaves the
 * machine. Both stop when this closes.
 */
final class EmbeddedGoogle implements AutoCloseable {
  private final FakeGoogleSts sts;
  private final FakeIamCredentials iam;

  private EmbeddedGoogle(FakeGoogleSts sts, FakeIamCredentials iam) {
    this.sts = sts;
    this.iam = iam;
  }

  static EmbeddedGoogle start(EmbeddedCluster cluster, String audience, String subject, Optional<String> email,
      PrintWriter err) {
    FakeGoogleSts sts = FakeGoogleSts.start();
    FakeIamCredentials iam = FakeIamCredentials.start(sts);
    sts.trust(audience, cluster.oidc().issuer(), cluster.oidc()::jwksJson);
    email.ifPresent(e -> iam.grant(e, FakeGoogleSts.principal(audience, subject)));
    ConfigOptions.progress(err, "starting fake Google STS and IAM Credentials for the embedded cluster at " + sts.url()
        + " and " + iam.url() + "…");
    return new EmbeddedGoogle(sts, iam);
  }

  String tokenUrl() {
    return sts.tokenUrl();
  }

  /** A transport that trusts the test CA and reaches the fakes only. */
  HttpTransportFactory transport() {
    ConnectionFactory routes = (URL url) -> {
      String target;
      if (url.getHost().equals("iamcredentials.googleapis.com")) {
        target = iam.url() + url.getFile();
      } else if (url.toString().startsWith(sts.url())) {
        target = url.toString();
      } else {
        throw new IOException("the embedded Google fakes do not serve " + url.getHost());
      }
      return (HttpURLConnection) URI.create(target).toURL().openConnection();
    };
    try {
      NetHttpTransport transport = new NetHttpTransport.Builder().trustCertificates(TestTls.trustStore())
          .setConnectionFactory(routes).build();
      return () -> transport;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the testkit's test CA cannot be trusted", e);
    }
  }

  @Override
  public void close() {
    iam.close();
    sts.close();
  }
}
