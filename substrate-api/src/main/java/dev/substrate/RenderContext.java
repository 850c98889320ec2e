package dev.substrate;

import org.immutables.value.Value;

/** What a facet knows while rendering: the substrate it belongs to and the config. */
@Value.Immutable
public abstract class RenderContext {
  public abstract String substrateId();

  public abstract SubstrateConfig config();

  public Profile profile() {
    return config().profile();
  }

  public static RenderContext of(String substrateId, SubstrateConfig config) {
    return ImmutableRenderContext.builder().substrateId(substrateId).config(config).build();
  }
}
