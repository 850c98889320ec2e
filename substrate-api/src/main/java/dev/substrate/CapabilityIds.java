package dev.substrate;

import java.util.regex.Pattern;

/** The capability ids shared by every substrate, so that the same fact has the same id everywhere. */
public final class CapabilityIds {
  public static final String GPU_DRIVER_MANAGEMENT = "gpu.driver-management";
  public static final String GPU_SCALE_TO_ZERO = "gpu.scale-to-zero";
  public static final String GPU_MIG = "gpu.mig";
  public static final String GPU_TIME_SLICING = "gpu.time-slicing";
  public static final String GPU_MPS = "gpu.mps";
  public static final String STORAGE_DEFAULT_CLASS = "storage.default-class";
  public static final String STORAGE_RWX = "storage.rwx";
  public static final String STORAGE_SNAPSHOTS = "storage.snapshots";
  public static final String STORAGE_EXPANSION = "storage.expansion";
  /** Whether the pods of a volume can move to another node (or host) when theirs fails. */
  public static final String STORAGE_NODE_FAILOVER = "storage.node-failover";
  public static final String LB_PROVISIONING = "lb.provisioning";
  public static final String LB_INTERNAL = "lb.internal";
  /** Whether a Service can choose how its load balancer probes targets ({@code LoadBalancerIntent.HealthCheck}). */
  public static final String LB_HEALTH_CHECK = "lb.health-check";
  public static final String SECRETS_KEYLESS = "secrets.keyless";
  public static final String SECRETS_LONG_LIVED_CREDENTIALS = "secrets.long-lived-credentials";
  /** Whether ESO's identity may read the secrets: a grant in the backend, needed whatever the auth. */
  public static final String SECRETS_BACKEND_ACCESS = "secrets.backend-access";

  private static final Pattern WELL_FORMED = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*(\\.[a-z][a-z0-9]*(-[a-z0-9]+)*)+");

  private CapabilityIds() {}

  /** Whether {@code id} is lowercase, dotted and hyphenated, like {@code storage.default-class}. */
  public static boolean isWellFormed(String id) {
    return id != null && WELL_FORMED.matcher(id).matches();
  }
}
