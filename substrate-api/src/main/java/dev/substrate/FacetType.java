package dev.substrate;

/** The four things a substrate gives a GPU platform; each is chosen independently by id. */
public enum FacetType {
  GPU_STACK("gpu_stack", "GPU stack"),
  STORAGE("storage", "storage"),
  LOAD_BALANCER("load_balancer", "load balancer"),
  SECRET_BACKEND("secret_backend", "secret backend");

  private final String configKey;
  private final String displayName;

  FacetType(String configKey, String displayName) {
    this.configKey = configKey;
    this.displayName = displayName;
  }

  /** The config key that chooses this facet's provider, e.g. {@code gpu_stack}. */
  public String configKey() {
    return configKey;
  }

  public String displayName() {
    return displayName;
  }
}
