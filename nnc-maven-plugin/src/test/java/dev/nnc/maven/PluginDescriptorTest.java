package dev.nnc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The plugin descriptor that maven-plugin-plugin writes from the Javadoc, which
 * {@code mvn help:describe -Dplugin=dev.nnc:nnc-maven-plugin -Ddetail} and {@code mvn nnc:help} show:
 * every goal and every parameter has a description.
 */
class PluginDescriptorTest {

    static final Path DESCRIPTOR = Path.of(System.getProperty("basedir", "."), "target/classes/META-INF/maven/plugin.xml");

    @Test
    void everyGoalAndParameterIsDescribed() throws Exception {
        assertTrue(Files.isRegularFile(DESCRIPTOR), DESCRIPTOR + " (written in process-classes, before the tests)");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(DESCRIPTOR.toFile());
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        NodeList mojos = doc.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            String goal = text(mojo, "goal");
            assertFalse(text(mojo, "description").isBlank(), "goal " + goal + " has no description");
            List<String> names = new ArrayList<>();
            NodeList params = ((Element) mojo.getElementsByTagName("parameters").item(0)).getElementsByTagName("parameter");
            for (int p = 0; p < params.getLength(); p++) {
                Element param = (Element) params.item(p);
                String name = text(param, "name");
                names.add(name);
                assertFalse(text(param, "description").isBlank(), goal + ": parameter " + name + " has no description");
            }
            parameters.put(goal, names);
        }
        List<String> expected = List.of("className", "excludes", "includes", "mojoExecution", "outputDirectory", "packageName",
                "project", "sourceDirectory");
        assertEquals(expected, sorted(parameters.get("generate")));
        assertEquals(expected, sorted(parameters.get("generate-test")));
        assertTrue(parameters.containsKey("help"), parameters.keySet().toString());
    }

    private static List<String> sorted(List<String> names) {
        return names == null ? List.of() : names.stream().sorted().toList();
    }

    /** The text of the first child element {@code name} of {@code e}, "" when there is none. */
    private static String text(Element e, String name) {
        NodeList found = e.getElementsByTagName(name);
        return found.getLength() == 0 ? "" : found.item(0).getTextContent();
    }
}
