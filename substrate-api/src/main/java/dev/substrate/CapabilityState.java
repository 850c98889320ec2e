package dev.substrate;

/**
 * Whether a substrate gives a capability. One rule for every facet and provider: the state says who must act, not
 * how much work there is.
 *
 * <ul>
 *   <li>{@link #SUPPORTED}: the substrate gives it, by itself or through what Substrate renders (applying the rendered
 *       layer is how every substrate is used, not an action). Granting a workload access to its own data (an IAM
 *       binding on a secret) is not a substrate's gap when every alternative needs the same grant; it is its own
 *       capability ({@link CapabilityIds#SECRETS_BACKEND_ACCESS}).
 *   <li>{@link #NEEDS_ACTION}: available once you do something Substrate cannot do for you: enable a cluster add-on,
 *       install or reconfigure a chart, create a pool provider or a grant in the cloud, choose a value only you know.
 *       The remedy says what.
 *   <li>{@link #UNSUPPORTED}: this substrate (with this configuration) cannot give it; the remedy names an alternative.
 * </ul>
 */
public enum CapabilityState {
  /** The substrate gives it, possibly through the rendered layer. */
  SUPPORTED,
  /** Not available on this substrate; the remedy names an alternative. */
  UNSUPPORTED,
  /** Available once someone does what the remedy says, which Substrate cannot do. */
  NEEDS_ACTION
}
