package dev.substrate.cloudfakes.hetzner.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Builds Hetzner Cloud API v1 objects with every field the Go client (and so the hcloud CLI) expects. */
public final class HcloudObjects {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CREATED = "2026-10-01T09:30:00Z";

  private HcloudObjects() {}

  static ObjectNode location(String name) {
    ObjectNode l = JSON.createObjectNode();
    int id = switch (name) {
      case "fsn1" -> 1;
      case "nbg1" -> 2;
      case "hel1" -> 3;
      default -> 9;
    };
    l.put("id", id).put("name", name).put("description", "Datacenter " + name)
        .put("country", name.equals("hel1") ? "FI" : "DE")
        .put("city", switch (name) {
          case "fsn1" -> "Falkenstein";
          case "nbg1" -> "Nuremberg";
          case "hel1" -> "Helsinki";
          default -> name;
        })
        .put("latitude", 50.47612).put("longitude", 12.370071).put("network_zone", "eu-central");
    return l;
  }

  static ObjectNode labels(Map<String, String> labels) {
    ObjectNode n = JSON.createObjectNode();
    labels.forEach(n::put);
    return n;
  }

  /** A Cloud server of {@code type} (e.g. {@code cpx41}) in {@code location}. */
  public static ObjectNode server(long id, String name, String type, String location, Map<String, String> labels) {
    ObjectNode s = JSON.createObjectNode();
    s.put("id", id).put("name", name).put("status", "running").put("created", CREATED);
    ObjectNode publicNet = s.putObject("public_net");
    publicNet.putObject("ipv4").put("id", id + 1000).put("ip", "49.12.0." + (id % 250)).put("blocked", false)
        .put("dns_ptr", "static." + id + ".clients.your-server.de");
    publicNet.putObject("ipv6").put("id", id + 2000).put("ip", "2a01:4f8:c0c:" + Long.toHexString(id % 65536) + "::/64")
        .put("blocked", false).putArray("dns_ptr");
    publicNet.putArray("floating_ips");
    publicNet.putArray("firewalls");
    s.putArray("private_net");
    ObjectNode st = s.putObject("server_type");
    st.put("id", 22).put("name", type).put("description", type.toUpperCase(java.util.Locale.ROOT))
        .put("cores", 8).put("memory", 16.0).put("disk", 240).put("deprecated", false)
        .put("storage_type", "local").put("cpu_type", "shared").put("architecture", "x86");
    st.putArray("prices");
    ObjectNode dc = s.putObject("datacenter");
    dc.put("id", 4).put("name", location + "-dc14").put("description", location + " DC 14");
    dc.set("location", location(location));
    ObjectNode supported = dc.putObject("server_types");
    supported.putArray("supported");
    supported.putArray("available");
    supported.putArray("available_for_migration");
    ObjectNode image = s.putObject("image");
    image.put("id", 161547269).put("type", "system").put("status", "available").put("name", "ubuntu-24.04")
        .put("description", "Ubuntu 24.04").put("image_size", (Double) null).put("disk_size", 5)
        .put("created", CREATED).putNull("created_from").putNull("bound_to").put("os_flavor", "ubuntu")
        .put("os_version", "24.04").put("rapid_deploy", true).putNull("deprecated").putNull("deleted")
        .put("architecture", "x86");
    image.putObject("protection").put("delete", false);
    image.putObject("labels");
    s.putNull("iso");
    s.put("rescue_enabled", false).put("locked", false).putNull("backup_window");
    s.put("outgoing_traffic", 123456789L).put("ingoing_traffic", 987654321L).put("included_traffic", 21990232555520L);
    s.putObject("protection").put("delete", false).put("rebuild", false);
    s.set("labels", labels(labels));
    s.putArray("volumes");
    s.putArray("load_balancers");
    s.put("primary_disk_size", 240);
    s.putNull("placement_group");
    return s;
  }

  /** A volume of {@code sizeGib} in {@code location}, attached to {@code serverId} unless that is null. */
  public static ObjectNode volume(long id, String name, int sizeGib, String location, Long serverId,
      Map<String, String> labels) {
    ObjectNode v = JSON.createObjectNode();
    v.put("id", id).put("name", name).put("created", CREATED).put("size", sizeGib).put("status", "available")
        .put("linux_device", "/dev/disk/by-id/scsi-0HC_Volume_" + id).put("format", "ext4");
    if (serverId == null) {
      v.putNull("server");
    } else {
      v.put("server", serverId);
    }
    v.set("location", location(location));
    v.putObject("protection").put("delete", false);
    v.set("labels", labels(labels));
    return v;
  }

  /** A load balancer of {@code type} (e.g. {@code lb11}) in {@code location} with a public IPv4 address. */
  public static ObjectNode loadBalancer(long id, String name, String type, String location, String ipv4,
      Map<String, String> labels) {
    ObjectNode lb = JSON.createObjectNode();
    lb.put("id", id).put("name", name).put("created", CREATED);
    ObjectNode publicNet = lb.putObject("public_net");
    publicNet.put("enabled", true);
    publicNet.putObject("ipv4").put("ip", ipv4).put("dns_ptr", "static." + ipv4 + ".clients.your-server.de");
    publicNet.putObject("ipv6").put("ip", "2a01:4f8:1c1e:" + Long.toHexString(id % 65536) + "::1")
        .put("dns_ptr", "static.lb.clients.your-server.de");
    lb.putArray("private_net");
    lb.set("location", location(location));
    ObjectNode t = lb.putObject("load_balancer_type");
    t.put("id", 1).put("name", type).put("description", type.toUpperCase(java.util.Locale.ROOT))
        .put("max_connections", 10000).put("max_services", 5).put("max_targets", 25)
        .put("max_assigned_certificates", 10).putNull("deprecated");
    t.putArray("prices");
    lb.putObject("protection").put("delete", false);
    lb.set("labels", labels(labels));
    ArrayNode services = lb.putArray("services");
    ObjectNode svc = services.addObject();
    svc.put("protocol", "tcp").put("listen_port", 443).put("destination_port", 30443).put("proxyprotocol", true);
    ObjectNode hc = svc.putObject("health_check");
    hc.put("protocol", "tcp").put("port", 30443).put("interval", 15).put("timeout", 10).put("retries", 3);
    lb.putArray("targets");
    lb.putObject("algorithm").put("type", "round_robin");
    lb.put("outgoing_traffic", 1000L).put("ingoing_traffic", 2000L).put("included_traffic", 21990232555520L);
    return lb;
  }

  /** A private network with one cloud subnet. */
  public static ObjectNode network(long id, String name, String ipRange, Map<String, String> labels) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", id).put("name", name).put("ip_range", ipRange).put("created", CREATED)
        .put("expose_routes_to_vswitch", false);
    ObjectNode subnet = n.putArray("subnets").addObject();
    subnet.put("type", "cloud").put("ip_range", ipRange).put("network_zone", "eu-central")
        .put("gateway", ipRange.replaceAll("\\.0/\\d+$", ".1"));
    n.putArray("routes");
    n.putArray("servers");
    n.putArray("load_balancers");
    n.putObject("protection").put("delete", false);
    n.set("labels", labels(labels));
    return n;
  }
}
