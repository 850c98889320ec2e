package dev.substrate.node.internal;

import dev.substrate.node.Gpu;
import dev.substrate.node.MigProfile;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * {@code nvidia-smi -q -x}: element names as the H200 fixture and NVIDIA's {@code nvsmi_device_v13.dtd} give them
 * ({@code driver_version}, {@code gpu/product_name}, {@code gpu/pci/pci_device_id}, {@code gpu/fb_memory_usage/total},
 * {@code gpu/mig_mode/current_mig|pending_mig}). The DTD is never fetched.
 */
final class SmiXml {
  private static final Pattern MIB = Pattern.compile("(\\d+)\\s*MiB");

  final Optional<String> driverVersion;
  final List<Gpu> gpus;

  private SmiXml(Optional<String> driverVersion, List<Gpu> gpus) {
    this.driverVersion = driverVersion;
    this.gpus = gpus;
  }

  /** Parses the XML; the MIG profiles are keyed by GPU index. */
  static SmiXml parse(String xml, Map<Integer, List<MigProfile>> profiles) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      f.setExpandEntityReferences(false);
      f.setXIncludeAware(false);
      DocumentBuilder builder = f.newDocumentBuilder();
      builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
      Document doc = builder.parse(new InputSource(new StringReader(xml)));
      XPath x = XPathFactory.newInstance().newXPath();
      Optional<String> driver = text(x, doc, "/nvidia_smi_log/driver_version");
      NodeList nodes = (NodeList) x.evaluate("/nvidia_smi_log/gpu", doc, XPathConstants.NODESET);
      List<Gpu> gpus = new ArrayList<>();
      for (int i = 0; i < nodes.getLength(); i++) {
        Node gpu = nodes.item(i);
        String product = text(x, gpu, "product_name").orElse("unknown GPU");
        int device = text(x, gpu, "pci/pci_device_id").map(SmiXml::deviceId).orElse(0);
        OptionalLong mib = text(x, gpu, "fb_memory_usage/total").map(MIB::matcher).filter(Matcher::find)
            .map(m -> OptionalLong.of(Long.parseLong(m.group(1)))).orElse(OptionalLong.empty());
        gpus.add(new Gpu(i, product, device, mib, text(x, gpu, "mig_mode/current_mig"),
            text(x, gpu, "mig_mode/pending_mig"), profiles.getOrDefault(i, List.of())));
      }
      return new SmiXml(driver, List.copyOf(gpus));
    } catch (ParserConfigurationException | XPathExpressionException e) {
      throw new IllegalStateException("the JDK's XML parser cannot be configured: " + e.getMessage(), e);
    } catch (SAXException | IOException e) {
      throw new IllegalArgumentException("nvidia-smi -q -x output is not well-formed XML: " + e.getMessage(), e);
    }
  }

  /** {@code 233510DE} (device, then vendor) to {@code 0x2335}. */
  static int deviceId(String hex) {
    String h = hex.strip().replaceFirst("^0[xX]", "");
    try {
      long v = Long.parseLong(h, 16);
      return (int) (h.length() > 4 ? v >>> 16 : v);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Optional<String> text(XPath x, Object context, String path) throws XPathExpressionException {
    Node n = (Node) x.evaluate(path, context, XPathConstants.NODE);
    return n == null ? Optional.empty() : Optional.of(n.getTextContent().strip()).filter(s -> !s.isEmpty());
  }
}
