package dev.substrate.node;

/**
 * One GPU instance profile as {@code nvidia-smi mig -lgip} lists it.
 *
 * @param name the profile name without {@code MIG }, e.g. {@code 1g.18gb} or {@code 1g.18gb+me}
 * @param id the GPU instance profile id, e.g. {@code 19}
 * @param instances how many instances of this profile alone fit on the GPU (the listing's {@code Total})
 * @param memoryGib memory of one instance in GiB as listed, e.g. {@code 16.0}
 */
public record MigProfile(String name, int id, int instances, double memoryGib) {}
