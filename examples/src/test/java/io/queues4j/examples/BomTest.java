package io.queues4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The BOM lists every published module of the build, at the build's version, and nothing else:
 * no parent and no imports, so importing it manages no third-party versions.
 */
class BomTest {
  private static final String GROUP = "io.queues4j";

  private final Path root =
      Path.of(System.getProperty("queues4j.readme", "../README.md"))
          .toAbsolutePath()
          .normalize()
          .resolveSibling(".")
          .normalize();

  @Test
  void theBomManagesEveryPublishedModuleAtTheBuildsVersionAndNothingElse() throws Exception {
    Element parent = pom(root.resolve("pom.xml"));
    Element bom = pom(root.resolve("queues4j-bom/pom.xml"));

    assertThat(child(bom, "parent")).as("the BOM must not inherit the parent's management")
        .isNull();
    assertThat(text(bom, "groupId")).isEqualTo(GROUP);
    assertThat(text(bom, "artifactId")).isEqualTo("queues4j-bom");
    assertThat(text(bom, "packaging")).isEqualTo("pom");
    assertThat(text(bom, "version")).isEqualTo(text(parent, "version"));

    List<Element> managed = managedDependencies(bom);
    assertThat(managed)
        .allSatisfy(
            d -> {
              assertThat(text(d, "groupId")).isEqualTo(GROUP);
              assertThat(text(d, "version")).isEqualTo("${project.version}");
              assertThat(child(d, "scope")).as("no imported BOMs").isNull();
            });
    assertThat(artifactIds(managed)).containsExactlyInAnyOrderElementsOf(publishedModules(parent));
  }

  @Test
  void theParentManagesTheSameQueues4jArtifactsAsTheBom() throws Exception {
    Element parent = pom(root.resolve("pom.xml"));
    Element bom = pom(root.resolve("queues4j-bom/pom.xml"));

    List<Element> ours =
        managedDependencies(parent).stream().filter(d -> GROUP.equals(text(d, "groupId")))
            .filter(d -> !"test-jar".equals(text(d, "type"))) // queue-core's suites, for stores
            .toList();
    assertThat(artifactIds(ours))
        .containsExactlyInAnyOrderElementsOf(artifactIds(managedDependencies(bom)));
  }

  @Test
  void theReadmeQuickstartImportsTheBom() throws Exception {
    String readme = Files.readString(root.resolve("README.md"));

    assertThat(readme)
        .contains("<artifactId>queues4j-bom</artifactId>")
        .contains("<type>pom</type>")
        .contains("<scope>import</scope>")
        .contains("<artifactId>queue-core</artifactId>")
        .contains("<artifactId>queue-testkit</artifactId>");
  }

  /** Artifacts of the reactor's modules that are installed (jar packaging, install not skipped). */
  private Set<String> publishedModules(Element parent) throws Exception {
    Set<String> published = new LinkedHashSet<>();
    for (Element module : children(required(parent, "modules"), "module")) {
      Element pom = pom(root.resolve(module.getTextContent().trim()).resolve("pom.xml"));
      String packaging = text(pom, "packaging");
      Element properties = child(pom, "properties");
      boolean skipsInstall =
          properties != null && "true".equals(text(properties, "maven.install.skip"));
      if ((packaging == null || packaging.equals("jar")) && !skipsInstall) {
        published.add(required(pom, "artifactId").getTextContent().trim());
      }
    }
    assertThat(published).as("published modules").contains("queue-api", "queue-core");
    return published;
  }

  private static List<Element> managedDependencies(Element pom) {
    return children(required(required(pom, "dependencyManagement"), "dependencies"), "dependency");
  }

  private static List<String> artifactIds(List<Element> dependencies) {
    return dependencies.stream().map(d -> required(d, "artifactId").getTextContent().trim()).toList();
  }

  private static Element pom(Path file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document document = factory.newDocumentBuilder().parse(file.toFile());
    return document.getDocumentElement();
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }

  private static @Nullable Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static Element required(Element parent, String name) {
    Element e = child(parent, name);
    if (e == null) {
      throw new AssertionError("<" + parent.getTagName() + "> has no <" + name + ">");
    }
    return e;
  }

  private static @Nullable String text(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? null : e.getTextContent().trim();
  }
}
