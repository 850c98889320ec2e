package dev.substrate.secrets.vault.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A PEM CA bundle: the certificates a TLS client trusts instead of the JVM's defaults, and the base64 of the PEM that
 * ESO's {@code spec.provider.vault.caBundle} takes (a {@code format: byte} field of the CRD).
 */
public final class CaBundle {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN CERTIFICATE-----\\s*([A-Za-z0-9+/=\\s]+?)-----END CERTIFICATE-----");

  private CaBundle() {}

  /** Whether {@code text} holds a PEM certificate block (inline PEM rather than a file name). */
  public static boolean isPem(String text) {
    return text.contains("-----BEGIN CERTIFICATE-----");
  }

  /**
   * The X.509 certificates of the {@code CERTIFICATE} blocks in {@code pem}.
   *
   * @throws IllegalArgumentException when there is none, or one does not parse
   */
  public static List<X509Certificate> parse(String pem) {
    List<X509Certificate> certificates = new ArrayList<>();
    Matcher m = BLOCK.matcher(pem == null ? "" : pem);
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      while (m.find()) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(1).getBytes(StandardCharsets.US_ASCII));
        Certificate c = factory.generateCertificate(new ByteArrayInputStream(der));
        certificates.add((X509Certificate) c);
      }
    } catch (CertificateException | IllegalArgumentException e) {
      throw new IllegalArgumentException("the CA bundle holds a CERTIFICATE block that is not an X.509 certificate",
          e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("the CA bundle holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return certificates;
  }

  /** A client {@link SSLContext} that trusts {@code certificates} and nothing else. */
  public static SSLContext sslContext(List<X509Certificate> certificates) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        trust.setCertificateEntry("ca-" + i, certificates.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context from the CA bundle", e);
    }
  }

  /** The base64 of {@code pem}, as ESO's {@code caBundle} takes it. */
  public static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
