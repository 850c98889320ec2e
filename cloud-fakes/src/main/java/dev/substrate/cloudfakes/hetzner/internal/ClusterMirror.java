package dev.substrate.cloudfakes.hetzner.internal;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Seeds a fake project with what the hcloud CCM and CSI driver would have made for a cluster: a server for each
 * {@code hcloud://ID} node, a volume for each {@code csi.hetzner.cloud} PersistentVolume (its volume handle is the
 * id), and a load balancer labelled {@code hcloud-ccm/service-uid} for each {@code LoadBalancer} Service.
 */
public final class ClusterMirror {
  static final String LB_ANNOTATION = "load-balancer.hetzner.cloud/";
  static final String SERVICE_UID_LABEL = "hcloud-ccm/service-uid";
  static final long FIRST_LOAD_BALANCER_ID = 900_001;

  private ClusterMirror() {}

  public static void seed(HcloudApi api, KubernetesClient cluster) {
    String region = "fsn1";
    for (Node node : cluster.nodes().list().getItems()) {
      String providerId = node.getSpec() == null ? null : node.getSpec().getProviderID();
      if (providerId == null || !providerId.matches("hcloud://\\d+")) {
        continue;
      }
      Map<String, String> labels = Optional.ofNullable(node.getMetadata().getLabels()).orElse(Map.of());
      region = labels.getOrDefault("topology.kubernetes.io/region", region);
      api.put("servers", HcloudObjects.server(Long.parseLong(providerId.substring("hcloud://".length())),
          node.getMetadata().getName(), labels.getOrDefault("node.kubernetes.io/instance-type", "cpx31")
              .toLowerCase(Locale.ROOT), labels.getOrDefault("topology.kubernetes.io/region", region), Map.of()));
    }
    for (PersistentVolume pv : cluster.persistentVolumes().list().getItems()) {
      if (pv.getSpec() == null || pv.getSpec().getCsi() == null
          || !"csi.hetzner.cloud".equals(pv.getSpec().getCsi().getDriver())
          || !String.valueOf(pv.getSpec().getCsi().getVolumeHandle()).matches("\\d+")) {
        continue;
      }
      api.put("volumes", HcloudObjects.volume(Long.parseLong(pv.getSpec().getCsi().getVolumeHandle()),
          pv.getMetadata().getName(), sizeGib(pv), region, null, Map.of()));
    }
    long id = FIRST_LOAD_BALANCER_ID;
    for (Service s : cluster.services().inAnyNamespace().list().getItems()) {
      if (s.getSpec() == null || !"LoadBalancer".equals(s.getSpec().getType()) || s.getMetadata().getUid() == null) {
        continue;
      }
      Map<String, String> annotations = Optional.ofNullable(s.getMetadata().getAnnotations()).orElse(Map.of());
      String uid = s.getMetadata().getUid();
      String name = annotations.getOrDefault(LB_ANNOTATION + "name", defaultName(uid));
      String ipv4 = Optional.ofNullable(s.getStatus()).map(st -> st.getLoadBalancer())
          .flatMap(lb -> Optional.ofNullable(lb.getIngress()).flatMap(list -> list.stream()
              .map(LoadBalancerIngress::getIp).filter(ip -> ip != null && ip.contains(".")).findFirst()))
          .orElse("203.0.113." + (id % 250));
      api.put("load_balancers", HcloudObjects.loadBalancer(id++, name, annotations.getOrDefault(LB_ANNOTATION + "type",
          "lb11"), annotations.getOrDefault(LB_ANNOTATION + "location", region), ipv4, Map.of(SERVICE_UID_LABEL, uid)));
    }
  }

  /** Kubernetes' default load balancer name, as the CCM uses it: {@code a} and the UID without dashes, 32 at most. */
  static String defaultName(String uid) {
    String name = "a" + uid.replace("-", "");
    return name.length() > 32 ? name.substring(0, 32) : name;
  }

  /** The PV's capacity in GiB, rounded up, at least 10 (the hcloud minimum). */
  private static int sizeGib(PersistentVolume pv) {
    Quantity q = pv.getSpec().getCapacity() == null ? null : pv.getSpec().getCapacity().get("storage");
    if (q == null) {
      return 10;
    }
    BigDecimal gib = Quantity.getAmountInBytes(q).divide(BigDecimal.valueOf(1L << 30), 0, RoundingMode.CEILING);
    return Math.max(10, gib.intValueExact());
  }
}
