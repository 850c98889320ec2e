package dev.substrate.spi.gpu;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The NVIDIA driver container image the GPU Operator pulls for a node, and whether NVIDIA publishes it. Predicted
 * offline from NVIDIA's published build matrix, never by asking the registry: confirm a tag on NGC
 * ({@value #NGC_TAGS}) before relying on it.
 *
 * <pre>{@code
 * DriverImages.precompiled("595", "6.8.0-57-generic", "ubuntu24.04");  // nvcr.io/nvidia/driver:595-6.8.0-57-generic-ubuntu24.04, PUBLISHED
 * DriverImages.precompiled("595", "6.8.0-57-lowlatency", "ubuntu24.04"); // NOT_PUBLISHED: a flavour NVIDIA does not build
 * DriverImages.osTag("Ubuntu 24.04.2 LTS");                              // ubuntu24.04
 * }</pre>
 *
 * <p>Sources. Tags: the operator pulls {@code <repository>/<image>:<version>-<kernel>-<os-tag>} for precompiled
 * drivers and {@code <version>-<os-tag>} otherwise, the kernel from NFD's
 * {@code feature.node.kubernetes.io/kernel-version.full} and the OS tag from its {@code system-os_release.ID} and
 * {@code VERSION_ID} labels, RHEL, Rocky and Oracle Linux by major version only (NVIDIA/gpu-operator v26.7.0
 * controllers/object_controls.go {@code resolveDriverTag}, controllers/state_manager.go {@code getGPUNodeOSInfo};
 * NVIDIA/cloud-native-docs gpu-operator/precompiled-drivers.rst, "Determining if a Precompiled Driver Container is
 * Available": {@code <driver-branch>-<linux-kernel-version>-<os-tag>}, e.g. {@code 525-5.15.0-69-generic-ubuntu22.04}).
 * What NVIDIA builds precompiled: NVIDIA/gpu-driver-container .github/precompiled-matrix-config.json (HEAD 06a208c,
 * 2026-08-17): branches 580 and 595, kernel flavours aws, azure, azure-fde, generic, nvidia and oracle, Ubuntu 22.04
 * (LTS kernels 5.15 and 6.8, no azure-fde), 24.04 (6.8) and 26.04 (7.0, branch 595 only), amd64 and arm64; it agrees
 * with gpu-operator/platform-support.rst "Supported Precompiled Drivers" (docs HEAD 52dcb7b, 2026-08-21). Each build
 * takes the newest kernel of its line that has Canonical's signed NVIDIA modules (base/generate-ci-config), so a
 * kernel released since the last build, or one never newest at a build, has no tag yet. Conventional images: the OS
 * tags of platform-support.rst "Supported Operating Systems" (Ubuntu 22.04, 24.04, 26.04; RHEL and Rocky Linux 8, 9,
 * 10 by major version).
 */
public final class DriverImages {
  /** Where NVIDIA publishes its driver containers. */
  public static final String REPOSITORY = "nvcr.io/nvidia/driver";
  /** Where to confirm a predicted tag. */
  public static final String NGC_TAGS = "https://catalog.ngc.nvidia.com/orgs/nvidia/containers/driver/tags";
  /** Names the prediction's source, for findings. */
  public static final String SOURCE = "predicted from NVIDIA's published build matrix, not asked of the registry";

  /** Driver branches NVIDIA builds precompiled images of. */
  public static final List<String> PRECOMPILED_BRANCHES = List.of("580", "595");
  /** Ubuntu kernel flavours NVIDIA builds precompiled images for. */
  public static final List<String> PRECOMPILED_FLAVOURS = List.of("aws", "azure", "azure-fde", "generic", "nvidia",
      "oracle");
  private static final Map<String, List<String>> PRECOMPILED_KERNEL_LINES = Map.of(
      "ubuntu22.04", List.of("5.15", "6.8"),
      "ubuntu24.04", List.of("6.8"),
      "ubuntu26.04", List.of("7.0"));
  private static final List<String> CONVENTIONAL_OS_TAGS = List.of("ubuntu22.04", "ubuntu24.04", "ubuntu26.04", "rhel8",
      "rhel9", "rhel10", "rocky8", "rocky9", "rocky10");
  /** Operating systems for which NVIDIA publishes no driver container at all. */
  private static final List<String> NO_DRIVER_CONTAINER = List.of("cos", "bottlerocket", "amzn", "flatcar", "talos",
      "debian", "ol", "sles");

  private static final Pattern UBUNTU_KERNEL = Pattern.compile("(\\d+)\\.(\\d+)\\.\\d+-\\d+-([a-z][a-z0-9-]*)");

  private DriverImages() {}

  /** Whether NVIDIA publishes an image. */
  public enum Availability {
    /** In NVIDIA's build matrix. */
    PUBLISHED,
    /** Outside it: the driver pod would stay in ImagePullBackOff. */
    NOT_PUBLISHED,
    /** The node's OS or kernel is not known well enough to say. */
    UNKNOWN
  }

  /**
   * A predicted image.
   *
   * @param image the image reference the operator would pull, e.g.
   *     {@code nvcr.io/nvidia/driver:595-6.8.0-57-generic-ubuntu24.04}
   * @param availability whether NVIDIA publishes it
   * @param reason why, in one clause
   */
  public record Prediction(String image, Availability availability, String reason) {
    /** Whether NVIDIA publishes the image. */
    public boolean published() {
      return availability == Availability.PUBLISHED;
    }
  }

  /**
   * The operator's OS tag of a node from NFD's {@code system-os_release.ID} and {@code VERSION_ID}, e.g.
   * {@code ubuntu} and {@code 24.04} give {@code ubuntu24.04}, {@code rhel} and {@code 9.4} give {@code rhel9}.
   */
  public static String osTag(String id, String versionId) {
    String os = id.trim().toLowerCase(Locale.ROOT);
    String version = versionId.trim();
    if (os.equals("rhel") || os.equals("rocky") || os.equals("ol")) {
      version = version.split("\\.")[0];
    }
    return os + version;
  }

  /**
   * The OS tag of a node from its {@code status.nodeInfo.osImage} (the OS's {@code PRETTY_NAME}), e.g.
   * {@code Ubuntu 24.04.2 LTS} gives {@code ubuntu24.04}; families without a version tag (Container-Optimized OS,
   * Bottlerocket, Talos, Flatcar) give their name alone; empty when the OS is not recognised.
   */
  public static Optional<String> osTag(String osImage) {
    if (osImage == null) {
      return Optional.empty();
    }
    String s = osImage.trim();
    Object[][] versioned = {
        {"Ubuntu (\\d+\\.\\d+).*", "ubuntu"},
        {"Red Hat Enterprise Linux CoreOS.*", null},
        {"Red Hat Enterprise Linux(?: Server)? (\\d+)\\b.*", "rhel"},
        {"Rocky Linux (\\d+)\\b.*", "rocky"},
        {"Oracle Linux Server (\\d+)\\b.*", "ol"},
        {"Amazon Linux (\\d+)\\b.*", "amzn"},
        {"Debian GNU/Linux (\\d+)\\b.*", "debian"},
        {"SUSE Linux Enterprise Server (\\d+)\\b.*", "sles"}};
    for (Object[] v : versioned) {
      Matcher m = Pattern.compile((String) v[0]).matcher(s);
      if (m.matches()) {
        return v[1] == null ? Optional.empty() : Optional.of(v[1] + m.group(1));
      }
    }
    String lower = s.toLowerCase(Locale.ROOT);
    for (String family : List.of("container-optimized os", "bottlerocket", "talos", "flatcar")) {
      if (lower.startsWith(family)) {
        return Optional.of(family.equals("container-optimized os") ? "cos" : family);
      }
    }
    return Optional.empty();
  }

  /** The precompiled image of driver {@code branch} for a node's kernel release and OS tag. */
  public static Prediction precompiled(String branch, String kernelRelease, String osTag) {
    String image = REPOSITORY + ":" + branch + "-" + kernelRelease + "-" + osTag;
    if (!osTag.startsWith("ubuntu")) {
      return new Prediction(image, family(osTag).isEmpty() ? Availability.UNKNOWN : Availability.NOT_PUBLISHED,
          "NVIDIA builds precompiled driver images for Ubuntu 22.04, 24.04 and 26.04 only, not " + osTag);
    }
    List<String> lines = PRECOMPILED_KERNEL_LINES.get(osTag);
    if (lines == null) {
      return new Prediction(image, Availability.NOT_PUBLISHED,
          "NVIDIA builds precompiled driver images for Ubuntu 22.04, 24.04 and 26.04 only, not " + osTag);
    }
    if (!PRECOMPILED_BRANCHES.contains(branch) || (osTag.equals("ubuntu26.04") && !branch.equals("595"))) {
      return new Prediction(image, Availability.NOT_PUBLISHED, "NVIDIA builds precompiled images of driver branches "
          + "580 and 595 (595 only on Ubuntu 26.04), not " + branch + " on " + osTag);
    }
    Matcher m = UBUNTU_KERNEL.matcher(kernelRelease.trim());
    if (!m.matches()) {
      return new Prediction(image, Availability.NOT_PUBLISHED, "kernel " + kernelRelease + " is not an Ubuntu "
          + "archive kernel (<version>-<abi>-<flavour>); NVIDIA builds precompiled images for Ubuntu's own kernels");
    }
    String line = m.group(1) + "." + m.group(2);
    String flavour = m.group(3);
    boolean flavourBuilt = PRECOMPILED_FLAVOURS.contains(flavour)
        && !(flavour.equals("azure-fde") && osTag.equals("ubuntu22.04"));
    if (!flavourBuilt) {
      return new Prediction(image, Availability.NOT_PUBLISHED, "kernel " + kernelRelease + " is of flavour '"
          + flavour + "', and NVIDIA builds precompiled images for the " + String.join(", ", PRECOMPILED_FLAVOURS)
          + " flavours only" + (osTag.equals("ubuntu22.04") ? " (no azure-fde on 22.04)" : ""));
    }
    if (!lines.contains(line)) {
      return new Prediction(image, Availability.NOT_PUBLISHED, "kernel " + kernelRelease + " is of line " + line
          + ", and NVIDIA builds precompiled images on " + osTag + " for its LTS kernel" + (lines.size() > 1 ? "s " : " ")
          + String.join(" and ", lines) + " only");
    }
    return new Prediction(image, Availability.PUBLISHED, "NVIDIA builds precompiled images of branch " + branch
        + " for " + osTag + " kernels of line " + line + ", flavour " + flavour);
  }

  /** The conventional (compiled at run time) image of driver {@code version} for a node's OS tag. */
  public static Prediction conventional(String version, String osTag) {
    String image = REPOSITORY + ":" + version + "-" + osTag;
    if (CONVENTIONAL_OS_TAGS.contains(osTag)) {
      return new Prediction(image, Availability.PUBLISHED, "NVIDIA publishes driver containers for " + osTag);
    }
    if (family(osTag).isPresent()) {
      return new Prediction(image, Availability.NOT_PUBLISHED, "NVIDIA publishes driver containers for Ubuntu "
          + "22.04/24.04/26.04, RHEL and Rocky Linux 8/9/10 only, not " + osTag);
    }
    return new Prediction(image, Availability.UNKNOWN, "OS tag " + osTag + " is not one Substrate knows");
  }

  /** The OS family of a tag when Substrate knows it, e.g. {@code ubuntu} for {@code ubuntu24.04}. */
  private static Optional<String> family(String osTag) {
    String family = osTag.replaceAll("[0-9.]+$", "");
    return family.equals("ubuntu") || family.equals("rhel") || family.equals("rocky")
        || NO_DRIVER_CONTAINER.contains(family) ? Optional.of(family) : Optional.empty();
  }
}
