package dev.substrate.hetzner.internal;

import dev.substrate.BackendException;
import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ConfigException;
import dev.substrate.ResourceKind;
import dev.substrate.hetzner.HetznerInventory.Item;
import dev.substrate.hetzner.HetznerInventory.Project;
import dev.substrate.hetzner.HetznerInventory;
import dev.substrate.spi.Check;
import dev.substrate.spi.DoctorContext;
import dev.substrate.spi.Redaction;
import dev.substrate.spi.Resources;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks that compare the cluster with its Hetzner Cloud project. The project is read once per doctor run, for all of
 * them ({@link DoctorContext#shared}), and the requests it took are reported as {@code hcloud}. Without a token they
 * skip and say how to enable them; when the API cannot be read they warn.
 */
final class HcloudInventoryChecks {
  static final String LOAD_BALANCERS = "lb.hcloud.inventory";
  static final String VOLUMES = "storage.hcloud.unbound-volumes";
  static final String API = "hcloud";
  static final String SHARED_KEY = "hcloud.inventory";

  private HcloudInventoryChecks() {}

  /** One read of the project, or why there is none. */
  private record Read(HetznerInventory inventory, Project project, CheckStatus status, String finding, String remedy) {
    static Read of(HetznerInventory inventory, Project project) {
      return new Read(inventory, project, CheckStatus.PASS, null, null);
    }

    static Read not(CheckStatus status, String finding, String remedy) {
      return new Read(null, null, status, finding, remedy);
    }

    CheckResult result(String id) {
      return CheckResult.builder().id(id).status(status).finding(finding).remedy(remedy).build();
    }
  }

  /**
   * {@value #LOAD_BALANCERS}: every {@code LoadBalancer} Service has the hcloud load balancer the CCM made for it
   * (label {@code hcloud-ccm/service-uid}); load balancers the CCM made for Services that are gone are a warning.
   */
  static Check loadBalancers(HcloudSettings settings, Function<String, String> env) {
    return Check.of(LOAD_BALANCERS, Set.of(ResourceKind.SERVICES), (snapshot, context) -> {
      Read read = read(settings, env, context);
      if (read.project() == null) {
        return read.result(LOAD_BALANCERS);
      }
      Map<String, Optional<Item>> byService = read.inventory().loadBalancersByService(read.project(), snapshot);
      Set<String> uids = new HashSet<>();
      for (Service s : snapshot.list(ResourceKind.SERVICES, Service.class)) {
        if (s.getSpec() != null && "LoadBalancer".equals(s.getSpec().getType()) && s.getMetadata().getUid() != null) {
          uids.add(s.getMetadata().getUid());
        }
      }
      List<String> orphans = new ArrayList<>();
      for (Item lb : read.project().loadBalancers()) {
        String uid = lb.labels().get(HetznerInventory.SERVICE_UID_LABEL);
        if (uid != null && !uids.contains(uid)) {
          orphans.add(lb.name() + " (id " + lb.id() + ")");
        }
      }
      List<String> missing = new ArrayList<>();
      List<String> matched = new ArrayList<>();
      byService.forEach((service, lb) -> {
        if (lb.isPresent()) {
          matched.add(service + " → " + lb.get().name());
        } else {
          missing.add(service);
        }
      });
      String orphaned = orphans.isEmpty() ? "" : Resources.count(orphans.size(), "hcloud load balancer was",
          "hcloud load balancers were") + " made by the CCM for a Service that no longer exists: "
          + Resources.names(orphans);
      if (!missing.isEmpty()) {
        String first = missing.get(0);
        return CheckResult.fail(LOAD_BALANCERS, missing.size() + " of " + Resources.count(byService.size(),
            "LoadBalancer Service has", "LoadBalancer Services have") + " no hcloud load balancer labelled "
            + HetznerInventory.SERVICE_UID_LABEL + "=<its UID>: " + Resources.names(missing)
            + (orphaned.isEmpty() ? "" : "; " + orphaned),
            "kubectl -n " + first.substring(0, first.indexOf('/')) + " describe service "
                + first.substring(first.indexOf('/') + 1) + " shows the hcloud CCM's events (a missing location or "
                + "network zone, or a CCM token of another project, are the usual causes)");
      }
      if (!orphans.isEmpty()) {
        return CheckResult.warn(LOAD_BALANCERS, orphaned + " (its " + HetznerInventory.SERVICE_UID_LABEL
            + " matches no LoadBalancer Service)", "unless another cluster in this project owns them, delete them, "
            + "for each costs money: hcloud load-balancer delete " + orphans.get(0).substring(0,
                orphans.get(0).indexOf(" (id ")));
      }
      if (byService.isEmpty()) {
        return CheckResult.pass(LOAD_BALANCERS, "no LoadBalancer Services, and no load balancers made by the CCM "
            + "for Services that are gone");
      }
      return CheckResult.pass(LOAD_BALANCERS, (byService.size() == 1 ? "the LoadBalancer Service has"
          : "every one of the " + byService.size() + " LoadBalancer Services has") + " its hcloud load balancer: "
          + Resources.names(matched));
    });
  }

  /** {@value #VOLUMES}: every hcloud volume of the project backs a PersistentVolume; others cost money unused. */
  static Check unboundVolumes(HcloudSettings settings, Function<String, String> env) {
    return Check.of(VOLUMES, Set.of(ResourceKind.PERSISTENT_VOLUMES), (snapshot, context) -> {
      Read read = read(settings, env, context);
      if (read.project() == null) {
        return read.result(VOLUMES);
      }
      List<Item> unbound = read.inventory().volumesWithoutPv(read.project(), snapshot);
      int all = read.project().volumes().size();
      if (unbound.isEmpty()) {
        return CheckResult.pass(VOLUMES, all == 0 ? "the project has no volumes" : (all == 1
            ? "the project's one volume backs a PersistentVolume"
            : "every one of the project's " + all + " volumes backs a PersistentVolume"));
      }
      List<String> named = new ArrayList<>();
      for (Item v : unbound) {
        named.add(v.name() + " (id " + v.id() + ", " + v.server().map(id -> "attached to " + serverName(read, id))
            .orElse("detached") + ")");
      }
      return CheckResult.warn(VOLUMES, unbound.size() + " of the project's " + Resources.count(all, "volume backs",
          "volumes back") + " no PersistentVolume and cost money all the same: " + Resources.names(named),
          "unless a server outside the cluster or another cluster uses them, delete them (hcloud volume detach, then "
              + "hcloud volume delete " + unbound.get(0).name() + "); a PersistentVolume deleted with reclaimPolicy "
              + "Retain leaves its volume behind");
    });
  }

  private static String serverName(Read read, long id) {
    return read.project().servers().stream().filter(s -> s.id() == id).map(Item::name).findFirst()
        .orElse("server " + id);
  }

  /** The project, read once per run and shared; the requests are counted when it is read. */
  private static Read read(HcloudSettings settings, Function<String, String> env, DoctorContext context) {
    return context.shared(SHARED_KEY, () -> {
      Optional<String> token;
      try {
        token = settings.token(env);
      } catch (ConfigException e) {
        return Read.not(CheckStatus.WARN, "could not check: " + e.getMessage(),
            "put a Hetzner Cloud API token of the cluster's project in that file, or " + HcloudSettings.HOW_TO_ENABLE);
      }
      if (token.isEmpty()) {
        return Read.not(CheckStatus.SKIP, "not checked: no Hetzner Cloud API token (" + settings.tokenEnvName()
            + " is not set and hetzner.token_file names no file)", "to compare the cluster with its Hetzner Cloud "
            + "project, " + HcloudSettings.HOW_TO_ENABLE);
      }
      String endpoint = settings.endpoint(env);
      HetznerInventory inventory = HetznerInventory.of(token.get(), endpoint, settings.maxRateLimitWait(),
          settings.parallelism());
      context.progress("reading the Hetzner Cloud project at " + Redaction.url(endpoint) + "…");
      try {
        return Read.of(inventory, inventory.read(line -> context.progress("  " + line)));
      } catch (BackendException e) {
        return Read.not(CheckStatus.WARN, "could not check: " + e.getMessage(), remedy(e, settings, endpoint));
      } finally {
        context.countRequests(API, inventory.requests());
      }
    });
  }

  private static String remedy(BackendException e, HcloudSettings settings, String endpoint) {
    int status = e.status().orElse(0);
    if (status == 401 || status == 403) {
      return "check the token in " + settings.tokenFile().map(f -> "hetzner.token_file (" + f + ")")
          .orElse("the environment variable " + settings.tokenEnvName()) + ": it must be a valid API token of the "
          + "cluster's Hetzner Cloud project (Cloud Console → Security → API tokens; read-only suffices)";
    }
    if (status == 429) {
      return "the project's rate limit is shared with the CCM and CSI driver: run doctor again after RateLimit-Reset, "
          + "or let it wait longer with hetzner.max_rate_limit_wait (now " + settings.maxRateLimitWait().toSeconds()
          + "s)";
    }
    return "check that " + Redaction.url(endpoint) + " is reachable from here (hetzner.endpoint, HCLOUD_ENDPOINT), then run doctor "
        + "again";
  }
}
