package dev.substrate.cloudfakes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS material of the cloud fakes, for fakes that must be reached over HTTPS (google-auth-library refuses plain-http token
 * URLs): one self-signed certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, shipped in this jar
 * jar. It is test material, public on purpose; trust it in tests only.
 *
 * <pre>{@code
 * // google-http-client (google-auth-library's transport)
 * HttpTransport transport = new NetHttpTransport.Builder().trustCertificates(TestTls.trustStore()).build();
 * // JDK HttpClient
 * HttpClient client = HttpClient.newBuilder().sslContext(TestTls.clientContext()).build();
 * // curl, gcloud (core/custom_ca_certs_file), kubectl (certificate-authority)
 * TestTls.writeCertificatePem(Path.of("testkit-ca.pem"));
 * }</pre>
 */
public final class TestTls {
  /** The classpath location of the PKCS12 key store (password {@value #PASSWORD}). */
  public static final String KEY_STORE_RESOURCE = "/dev/substrate/cloudfakes/tls/testkit-tls.p12";
  /** The key store's and the key's password: this is test material, not a secret. */
  public static final String PASSWORD = "testkit";
  /** The key's alias in the key store. */
  public static final String ALIAS = "testkit";

  private static final Material MATERIAL = load();

  private TestTls() {}

  /** The certificate the fakes present, which is also its own issuer (the test CA). */
  public static X509Certificate certificate() {
    return MATERIAL.certificate;
  }

  /** A fresh key store (PKCS12) holding only {@link #certificate()} as a trusted entry: no private key. */
  public static KeyStore trustStore() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry(ALIAS, MATERIAL.certificate);
      return trust;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the test trust store", e);
    }
  }

  /** A client {@link SSLContext} trusting {@link #certificate()} and nothing else. */
  public static SSLContext clientContext() {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the test client TLS context", e);
    }
  }

  /** A server {@link SSLContext} presenting {@link #certificate()}: what the HTTPS fakes use. */
  public static SSLContext serverContext() {
    try {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(MATERIAL.keyStore, PASSWORD.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the test server TLS context", e);
    }
  }

  /** {@link #certificate()} in PEM, for tools that take a CA file. */
  public static String certificatePem() {
    try {
      String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
          .encodeToString(MATERIAL.certificate.getEncoded());
      return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode the test certificate", e);
    }
  }

  /** Writes {@link #certificatePem()} to {@code file} (creating parent directories) and returns the file. */
  public static Path writeCertificatePem(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, certificatePem(), StandardCharsets.US_ASCII);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the test certificate to " + file, e);
    }
  }

  private static Material load() {
    try (InputStream in = TestTls.class.getResourceAsStream(KEY_STORE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the cloud fakes' key store " + KEY_STORE_RESOURCE + " is not on the classpath");
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD.toCharArray());
      X509Certificate cert = (X509Certificate) ks.getCertificate(ALIAS);
      if (cert == null) {
        throw new IllegalStateException("the cloud fakes' key store has no entry " + ALIAS);
      }
      return new Material(ks, cert);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the cloud fakes' key store " + KEY_STORE_RESOURCE, e);
    }
  }

  private static final class Material {
    final KeyStore keyStore;
    final X509Certificate certificate;

    Material(KeyStore keyStore, X509Certificate certificate) {
      this.keyStore = keyStore;
      this.certificate = certificate;
    }
  }
}
