package dev.substrate.spi.gpu;

import dev.substrate.spi.gpu.DriverImages.Prediction;
import dev.substrate.spi.gpu.Finding.Status;
import java.util.Optional;

/**
 * The rules of GPU driver preflight that a node ({@code substrate node preflight}) and the cluster (doctor's
 * {@code gpu.driver.*} checks) share: the finding ids, the driver image each node needs, and the exact remedies.
 *
 * <p>Sources: the driver container installs {@code linux-headers-<kernel>} from the OS package repositories when it
 * compiles the module at start, and precompiled images install Canonical's signed {@code linux-signatures-nvidia}
 * (amd64 only) (NVIDIA/gpu-driver-container ubuntu24.04/nvidia-driver {@code _install_prerequisites},
 * ubuntu24.04/precompiled/nvidia-driver); the modules it compiles are unsigned, so the kernel refuses them with Secure
 * Boot on (NVIDIA/cloud-native-docs gpu-operator/precompiled-drivers.rst; install-gpu-operator-outdated-kernels.rst).
 */
public final class DriverPreflight {
  /** The driver container image the operator would pull exists. */
  public static final String DRIVER_IMAGE = "driver-image";
  /** A driver is already on the host. */
  public static final String HOST_DRIVER = "host-driver";
  /** Secure Boot and the modules' signatures. */
  public static final String SECURE_BOOT = "secure-boot";
  /** Kernel headers for a module compiled at run time. */
  public static final String KERNEL_HEADERS = "kernel-headers";
  /** The nouveau module holds the GPU. */
  public static final String NOUVEAU = "nouveau";
  /** MIG mode against the MIG layout asked for. */
  public static final String MIG = "mig";

  /** Remedy when a host driver is there already. */
  public static final String DRIVER_OFF = "install the GPU Operator with the driver disabled: --set driver.enabled=false";
  /** Remedy when nouveau is loaded. */
  public static final String NOUVEAU_OFF = "printf 'blacklist nouveau\\noptions nouveau modeset=0\\n' | sudo tee "
      + "/etc/modprobe.d/blacklist-nouveau.conf && sudo update-initramfs -u && sudo reboot";
  /** What to look at where Secure Boot cannot be seen. */
  public static final String SECURE_BOOT_STATE = "check with `mokutil --sb-state` on the node (or run `substrate "
      + "node preflight` there); if it is on, the driver's modules must be signed";
  /** What to look at where the loaded modules cannot be seen. */
  public static final String NOUVEAU_STATE = "check with `lsmod | grep nouveau` on each GPU node (or run `substrate "
      + "node preflight` there); if it is loaded, blacklist it: " + NOUVEAU_OFF;

  private DriverPreflight() {}

  /** The precompiled-driver settings for {@code branch}, e.g. {@code --set driver.usePrecompiled=true ...}. */
  public static String usePrecompiled(String branch) {
    return "--set driver.usePrecompiled=true --set driver.version=" + branch + " (gpu.operator.driver.precompiled: "
        + "true, branch: " + branch + ")";
  }

  /**
   * Remedy for Secure Boot on with nothing signed loaded: precompiled (signed) modules where NVIDIA publishes them
   * for the kernel, a signed host driver, or Secure Boot off.
   */
  public static String secureBootRemedy(String kernelRelease, Optional<Prediction> precompiled) {
    String signed = precompiled.filter(Prediction::published)
        .map(p -> "use the precompiled driver containers, whose modules are signed (" + p.image() + ")")
        .orElse("use the precompiled driver containers, whose modules are signed (--set driver.usePrecompiled=true, "
            + "for a kernel NVIDIA publishes them for)");
    return signed + ", or install a signed driver on the host (linux-modules-nvidia-<branch>-server-" + kernelRelease
        + ") and set driver.enabled=false, or turn Secure Boot off in the firmware";
  }

  /** Remedy for a module compiled at run time: the OS repositories must have the kernel's headers. */
  public static String headersRemedy(String kernelRelease, Optional<Prediction> precompiled) {
    return "let the node reach its OS package repositories, from which the driver container installs linux-headers-"
        + kernelRelease + " at start (sudo apt-get install --dry-run linux-headers-" + kernelRelease + " shows whether "
        + "the package still exists; a kernel whose package is gone needs an archive repository), or "
        + precompiled.filter(Prediction::published).map(p -> "use the precompiled image " + p.image() + " ("
            + usePrecompiled(branchOf(p)) + ")").orElse("run a kernel NVIDIA publishes precompiled images for and "
            + "set driver.usePrecompiled=true");
  }

  /**
   * The {@value #DRIVER_IMAGE} finding: PASS when NVIDIA publishes the image, FAIL (the driver pod would stay in
   * ImagePullBackOff) when it does not, WARN when the OS is not known well enough to say.
   */
  public static Finding driverImage(Prediction p, boolean precompiled, Optional<Prediction> alternative) {
    String what = (precompiled ? "precompiled driver image " : "driver image ") + p.image();
    switch (p.availability()) {
      case PUBLISHED:
        return new Finding(DRIVER_IMAGE, Status.PASS, what + " is published: " + p.reason() + " ("
            + DriverImages.SOURCE + ")", Optional.empty());
      case NOT_PUBLISHED:
        return new Finding(DRIVER_IMAGE, Status.FAIL, what + " is not published, so the driver pod would stay in "
            + "ImagePullBackOff: " + p.reason() + " (" + DriverImages.SOURCE + ")", Optional.of(imageRemedy(precompiled,
                alternative)));
      default:
        return new Finding(DRIVER_IMAGE, Status.WARN, "whether " + what + " is published cannot be predicted: "
            + p.reason(), Optional.of("look the tag up on NGC (" + DriverImages.NGC_TAGS + "), or "
                + imageRemedy(precompiled, alternative)));
    }
  }

  private static String imageRemedy(boolean precompiled, Optional<Prediction> alternative) {
    if (precompiled) {
      return alternative.filter(Prediction::published)
          .map(a -> "set gpu.operator.driver.precompiled: false (--set driver.usePrecompiled=false): the conventional "
              + "image " + a.image() + " compiles the module on the node")
          .orElse("run GPU nodes on an Ubuntu kernel NVIDIA builds precompiled images for (flavours "
              + String.join(", ", DriverImages.PRECOMPILED_FLAVOURS) + "), build your own precompiled image and set "
              + "driver.repository, or set gpu.operator.driver.precompiled: false");
    }
    return "run GPU nodes on Ubuntu 22.04/24.04/26.04, RHEL or Rocky Linux 8/9/10, or install the NVIDIA driver on the "
        + "host and set gpu.operator.driver.enabled: false (--set driver.enabled=false)";
  }

  private static String branchOf(Prediction p) {
    String tag = p.image().substring(p.image().lastIndexOf(':') + 1);
    int dash = tag.indexOf('-');
    return dash < 0 ? tag : tag.substring(0, dash);
  }
}
