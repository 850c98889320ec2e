package dev.substrate.spi;

import dev.substrate.SecretStoreAuth;
import java.util.Optional;
import org.immutables.value.Value;

/** The facet provider ids a substrate chooses by default. */
@Value.Immutable
public abstract class SubstrateDefaults {
  public abstract String gpuStack();

  public abstract String storage();

  public abstract String loadBalancer();

  public abstract String secretBackend();

  public abstract Optional<SecretStoreAuth> secretStoreAuth();

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableSubstrateDefaults.Builder {}
}
