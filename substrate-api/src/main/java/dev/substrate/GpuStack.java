package dev.substrate;

/** How GPUs become schedulable: the driver, container toolkit, device plugin and DCGM, managed or not. */
public interface GpuStack extends Facet {
  @Override
  default FacetType type() {
    return FacetType.GPU_STACK;
  }
}
