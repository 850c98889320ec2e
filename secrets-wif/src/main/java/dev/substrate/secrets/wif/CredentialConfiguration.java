package dev.substrate.secrets.wif;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.substrate.ConfigException;
import dev.substrate.SubstrateConfig;
import dev.substrate.secrets.wif.internal.WifSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code external_account} credential configuration for a workload identity pool provider: the JSON that
 * {@code gcloud iam workload-identity-pools create-cred-config} writes for the same inputs (equal in content, tested
 * against the real gcloud), and that google-auth-library, ESO's {@code credConfig} and gcloud read.
 *
 * <pre>{@code
 * CredentialConfiguration config = CredentialConfiguration.builder()
 *     .provider(123456789012L, "pool", "provider")          // or .audience("//iam.googleapis.com/projects/...")
 *     .serviceAccountEmail("eso@acme-ml.iam.gserviceaccount.com")
 *     .file("/var/run/secrets/tokens/gcp-token")              // a projected service-account token, format text
 *     .build();
 * config.write(Path.of("cred.json"));
 * }</pre>
 *
 * <p>As gcloud does: {@code service_account_impersonation_url} when a service account is given (and then no
 * {@code token_info_url}), {@code token_info_url} otherwise; {@code service_account_impersonation.token_lifetime_seconds}
 * only with a service account (600-43200). Immutable and thread-safe.
 */
public final class CredentialConfiguration {
  /** STS's token endpoint. */
  public static final String TOKEN_URL = "https://sts.googleapis.com/v1/token";
  /** STS's introspection endpoint. */
  public static final String TOKEN_INFO_URL = "https://sts.googleapis.com/v1/introspect";
  /** The subject token type of a Kubernetes service-account token (an OIDC JWT). */
  public static final String SUBJECT_TOKEN_TYPE_JWT = "urn:ietf:params:oauth:token-type:jwt";

  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.iam\\.gserviceaccount\\.com$");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String audience;
  private final Optional<String> serviceAccountEmail;
  private final Optional<Integer> tokenLifetimeSeconds;
  private final Optional<String> file;
  private final Optional<String> url;
  private final Map<String, String> headers;
  private final Optional<String> jsonField;

  private CredentialConfiguration(Builder b) {
    this.audience = b.audience;
    this.serviceAccountEmail = Optional.ofNullable(b.serviceAccountEmail);
    this.tokenLifetimeSeconds = Optional.ofNullable(b.tokenLifetimeSeconds);
    this.file = Optional.ofNullable(b.file);
    this.url = Optional.ofNullable(b.url);
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    this.jsonField = Optional.ofNullable(b.jsonField);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The pool provider's full name, {@code //iam.googleapis.com/projects/NUM/locations/global/...}. */
  public String audience() {
    return audience;
  }

  public Optional<String> serviceAccountEmail() {
    return serviceAccountEmail;
  }

  /** {@code https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/EMAIL:generateAccessToken}. */
  public Optional<String> serviceAccountImpersonationUrl() {
    return serviceAccountEmail.map(CredentialConfiguration::impersonationUrl);
  }

  public Optional<Integer> tokenLifetimeSeconds() {
    return tokenLifetimeSeconds;
  }

  /** The projected token file, when the source is a file. */
  public Optional<String> file() {
    return file;
  }

  /** The token URL, when the source is a URL. */
  public Optional<String> url() {
    return url;
  }

  static String impersonationUrl(String email) {
    return "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/" + email + ":generateAccessToken";
  }

  /** The {@code credential_source} object. */
  public Map<String, Object> credentialSource() {
    Map<String, Object> source = new LinkedHashMap<>();
    file.ifPresent(f -> source.put("file", f));
    url.ifPresent(u -> source.put("url", u));
    if (!headers.isEmpty()) {
      source.put("headers", headers);
    }
    Map<String, Object> format = new LinkedHashMap<>();
    if (jsonField.isPresent()) {
      format.put("type", "json");
      format.put("subject_token_field_name", jsonField.get());
    } else {
      format.put("type", "text");
    }
    source.put("format", format);
    return Collections.unmodifiableMap(source);
  }

  /** The whole document, keys in gcloud's order. */
  public Map<String, Object> toMap() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("universe_domain", "googleapis.com");
    doc.put("type", "external_account");
    doc.put("audience", audience);
    doc.put("subject_token_type", SUBJECT_TOKEN_TYPE_JWT);
    doc.put("token_url", TOKEN_URL);
    doc.put("credential_source", credentialSource());
    if (serviceAccountEmail.isPresent()) {
      doc.put("service_account_impersonation_url", impersonationUrl(serviceAccountEmail.get()));
      tokenLifetimeSeconds.ifPresent(s -> doc.put("service_account_impersonation", Map.of("token_lifetime_seconds", s)));
    } else {
      doc.put("token_info_url", TOKEN_INFO_URL);
    }
    return Collections.unmodifiableMap(doc);
  }

  /** The document as indented JSON, ending in a newline. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(toMap()) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the credential configuration", e);
    }
  }

  /** Writes {@link #toJson()} to {@code path} (UTF-8), replacing it. It holds no secret. */
  public Path write(Path path) {
    try {
      return Files.writeString(path, toJson(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the credential configuration to " + path, e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CredentialConfiguration other && toMap().equals(other.toMap());
  }

  @Override
  public int hashCode() {
    return toMap().hashCode();
  }

  @Override
  public String toString() {
    return "CredentialConfiguration" + toMap();
  }

  /** Builds a {@link CredentialConfiguration}; {@link #build()} reports every problem at once. */
  public static final class Builder {
    private String audience;
    private String serviceAccountEmail;
    private Integer tokenLifetimeSeconds;
    private String file;
    private String url;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String jsonField;

    private Builder() {}

    /**
     * The audience and service account of the config's {@code wif:} section.
     *
     * @throws ConfigException when the section is missing or wrong, naming each key
     */
    public Builder wif(SubstrateConfig config) {
      if (config.section("wif").isEmpty()) {
        throw new ConfigException("wif.audience was '' but must be " + WifSettings.AUDIENCE_FORM);
      }
      WifSettings wif = WifSettings.from(config);
      return audience(wif.audience()).serviceAccountEmail(wif.serviceAccountEmail().orElse(null));
    }

    /** The full provider name, {@code //iam.googleapis.com/projects/NUM/locations/global/workloadIdentityPools/POOL/providers/PROV}. */
    public Builder audience(String audience) {
      this.audience = Objects.requireNonNull(audience, "audience").trim();
      return this;
    }

    /** The provider by its parts: the project number (not the id), the pool id and the provider id. */
    public Builder provider(long projectNumber, String pool, String provider) {
      return audience("//iam.googleapis.com/projects/" + projectNumber + "/locations/global/workloadIdentityPools/"
          + pool + "/providers/" + provider);
    }

    /**
     * The provider as gcloud takes it, {@code projects/NUM/locations/global/workloadIdentityPools/POOL/providers/PROV},
     * or the full audience.
     */
    public Builder providerName(String name) {
      String n = Objects.requireNonNull(name, "name").trim();
      return audience(n.startsWith("//") ? n : "//iam.googleapis.com/" + n);
    }

    /** The Google service account to impersonate; empty or null for none (the federated token is used directly). */
    public Builder serviceAccountEmail(String email) {
      this.serviceAccountEmail = email == null || email.isBlank() ? null : email.trim();
      return this;
    }

    /** {@code service_account_impersonation.token_lifetime_seconds}, 600-43200; needs a service account. */
    public Builder tokenLifetimeSeconds(int seconds) {
      this.tokenLifetimeSeconds = seconds;
      return this;
    }

    /** A file source: the subject token is the file's whole content, re-read on every refresh. */
    public Builder file(String path) {
      this.file = Objects.requireNonNull(path, "path");
      return this;
    }

    public Builder file(Path path) {
      return file(path.toString());
    }

    /** A URL source: the subject token is the body of a GET, with these headers. */
    public Builder url(String url, Map<String, String> headers) {
      this.url = Objects.requireNonNull(url, "url");
      this.headers.clear();
      this.headers.putAll(headers);
      return this;
    }

    /** The source answers JSON and the token is this field ({@code format.type: json}); text by default. */
    public Builder jsonField(String field) {
      this.jsonField = field;
      return this;
    }

    public CredentialConfiguration build() {
      List<String> problems = new ArrayList<>();
      WifSettings.audienceProblem("audience", audience).ifPresent(problems::add);
      if (serviceAccountEmail != null && !EMAIL.matcher(serviceAccountEmail).matches()) {
        problems.add("service account email was '" + serviceAccountEmail
            + "' but must be a Google service account, NAME@PROJECT.iam.gserviceaccount.com");
      }
      if (tokenLifetimeSeconds != null) {
        if (serviceAccountEmail == null) {
          problems.add("a token lifetime needs a service account to impersonate");
        }
        if (tokenLifetimeSeconds < 600 || tokenLifetimeSeconds > 43200) {
          problems.add("token lifetime was " + tokenLifetimeSeconds + " s but must be 600-43200 s");
        }
      }
      if ((file == null) == (url == null)) {
        problems.add("exactly one credential source is needed: a file or a URL");
      }
      if (file != null && file.isBlank()) {
        problems.add("the credential source file is empty");
      }
      if (jsonField != null && jsonField.isBlank()) {
        problems.add("the subject token field name is empty");
      }
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
      return new CredentialConfiguration(this);
    }
  }
}
