package dev.substrate;

import org.immutables.value.Value;

/** The {@code secrets:} section: where External Secrets Operator runs and, for the kubernetes backend, reads. */
@Value.Immutable
public abstract class SecretsConfig {
  /** The namespace ESO runs in ({@code secrets.namespace}). */
  @Value.Default
  public String namespace() {
    return "external-secrets";
  }

  /** The ServiceAccount ESO authenticates as ({@code secrets.service_account}). */
  @Value.Default
  public String serviceAccount() {
    return "external-secrets";
  }

  /** For the {@code kubernetes} backend: the namespace holding the source Secrets ({@code secrets.remote_namespace}). */
  @Value.Default
  public String remoteNamespace() {
    return "platform-secrets";
  }

  /**
   * Whether {@code prod} may run with long-lived credentials such as a service-account key
   * ({@code secrets.allow_long_lived_credentials}); doctor fails them in {@code prod} otherwise.
   */
  @Value.Default
  public boolean allowLongLivedCredentials() {
    return false;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableSecretsConfig.Builder {}
}
