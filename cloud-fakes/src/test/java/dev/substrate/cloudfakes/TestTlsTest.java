package dev.substrate.cloudfakes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The testkit's TLS material: a long-lived localhost certificate, a trust store without the key, PEM output. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TestTlsTest {
  @TempDir Path dir;

  @Test
  void the_certificate_names_localhost_and_the_loopback_addresses_for_a_long_time() throws Exception {
    X509Certificate cert = TestTls.certificate();
    List<String> names = cert.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
    assertThat(names).contains("localhost", "127.0.0.1");
    assertThat(cert.getSubjectX500Principal().getName()).contains("CN=localhost").contains("test material");
    assertThat(cert.getNotAfter().toInstant()).isAfter(Instant.now().plus(365L * 50, ChronoUnit.DAYS));
    cert.verify(cert.getPublicKey());
  }

  @Test
  void the_trust_store_holds_the_certificate_and_no_key() throws Exception {
    KeyStore trust = TestTls.trustStore();
    assertThat(Collections.list(trust.aliases())).containsExactly(TestTls.ALIAS);
    assertThat(trust.isCertificateEntry(TestTls.ALIAS)).isTrue();
    assertThat(trust.isKeyEntry(TestTls.ALIAS)).isFalse();
    assertThat(TestTls.clientContext().getProtocol()).isEqualTo("TLS");
    assertThat(TestTls.serverContext().getProtocol()).isEqualTo("TLS");
  }

  @Test
  void the_pem_is_the_certificate() throws Exception {
    Path pem = TestTls.writeCertificatePem(dir.resolve("ca/testkit-ca.pem"));
    String text = Files.readString(pem);
    assertThat(text).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
    X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
    assertThat(parsed).isEqualTo(TestTls.certificate());
  }
}
