package dev.substrate.cli;

import dev.substrate.SubstrateConfig;
import dev.substrate.cloudfakes.hetzner.FakeHetznerCloud;
import dev.substrate.hetzner.HetznerConfig;
import dev.substrate.kubefake.ClusterPreset;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * For doctor on an embedded Hetzner cluster: a fake Hetzner Cloud API holding what the hcloud CCM and CSI driver would
 * have made for that cluster, and the {@code hetzner:} config pointing at it with its throwaway token (in a temporary
 * file), so the checks that read the Hetzner Cloud project run too. Both go when this closes.
 */
final class EmbeddedHcloud implements AutoCloseable {
  private final FakeHetznerCloud fake;
  private final Path tokenFile;

  private EmbeddedHcloud(FakeHetznerCloud fake, Path tokenFile) {
    this.fake = fake;
    this.tokenFile = tokenFile;
  }

  /** A fake mirroring {@code client}'s cluster when {@code preset} has Hetzner Cloud nodes; else nothing. */
  static EmbeddedHcloud startFor(ClusterPreset preset, KubernetesClient client, PrintWriter err) {
    if (preset != ClusterPreset.HETZNER && preset != ClusterPreset.HYBRID) {
      return new EmbeddedHcloud(null, null);
    }
    FakeHetznerCloud fake = FakeHetznerCloud.mirroring(client);
    try {
      Path file = Files.createTempFile("substrate-hcloud-", ".token",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, fake.token());
      ConfigOptions.progress(err, "starting a fake Hetzner Cloud API for the embedded cluster at " + fake.endpoint()
          + "…");
      return new EmbeddedHcloud(fake, file);
    } catch (IOException | RuntimeException e) {
      fake.close();
      throw e instanceof IOException ? new UncheckedIOException((IOException) e) : (RuntimeException) e;
    }
  }

  /** {@code config} with {@code hetzner.endpoint} and {@code hetzner.token_file} naming the fake, when there is one. */
  SubstrateConfig configure(SubstrateConfig config) {
    if (fake == null) {
      return config;
    }
    return HetznerConfig.withApi(config, fake.endpoint(), tokenFile);
  }

  @Override
  public void close() {
    if (fake == null) {
      return;
    }
    fake.close();
    try {
      Files.deleteIfExists(tokenFile);
    } catch (IOException ignored) {
      // a temporary file left behind holds a token that worked only against the fake that just stopped
    }
  }
}
