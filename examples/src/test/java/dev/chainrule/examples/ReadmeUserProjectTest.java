package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What README tells a user to paste into their own project is what the integration test builds as a user's
 * project (autodiff/src/it/user-project, run by `mvn verify`): the pom.xml byte for byte, and the harness snippet
 * line for line (indentation aside) in that project's tests. The snippet stays in this module's
 * SoftplusPropertiesTest too, so {@link ReadmeTest}'s rule (every Java block compiled here) holds unchanged.
 */
class ReadmeUserProjectTest {
    private static final String SECTION = "### The property harness, for your own nodes";
    private static final Path USER_PROJECT = Path.of("../autodiff/src/it/user-project");
    private static final Pattern XML_BLOCK = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CHAINRULE_VERSION = Pattern.compile(
            "<groupId>dev\\.chainrule</groupId>\\s*<artifactId>[^<]+</artifactId>\\s*<version>([^<]+)</version>");

    @Test
    void readmePomIsTheIntegrationTestProjectsPom() throws IOException {
        String readmePom = readmePom(section()).text();
        String itPom = Files.readString(USER_PROJECT.resolve("pom.xml"));
        List<String> readmeLines = readmePom.lines().collect(Collectors.toList());
        List<String> itLines = itPom.lines().collect(Collectors.toList());
        for (int i = 0; i < Math.max(readmeLines.size(), itLines.size()); i++) {
            String inReadme = i < readmeLines.size() ? readmeLines.get(i) : "(end of block)";
            String inIt = i < itLines.size() ? itLines.get(i) : "(end of file)";
            assertEquals(inIt, inReadme, "README's pom.xml (\"" + SECTION + "\") differs from " + USER_PROJECT
                    + "/pom.xml at line " + (i + 1) + "; keep them the same text");
        }
        assertEquals(itPom, readmePom, "README's pom.xml and " + USER_PROJECT + "/pom.xml differ in whitespace");
    }

    @Test
    void readmeHarnessSnippetIsInTheIntegrationTestProjectsTests() throws IOException {
        String snippet = ReadmeTest.normalized(harnessSnippet());
        List<String> tests;
        try (Stream<Path> files = Files.walk(USER_PROJECT.resolve("src/test/java"))) {
            tests = files.filter(f -> f.toString().endsWith(".java")).map(ReadmeTest::read)
                    .map(ReadmeTest::normalized).collect(Collectors.toList());
        }
        assertTrue(tests.stream().anyMatch(test -> test.contains(snippet)),
                "README's harness snippet (the Java block after the pom in \"" + SECTION + "\") not found in "
                        + USER_PROJECT + "/src/test/java:\n" + snippet);
    }

    @Test
    void readmePomDependsOnThisBuildsVersion() throws IOException {
        Matcher parent = Pattern.compile("<artifactId>chainrule-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("../pom.xml")));
        assertTrue(parent.find(), "no chainrule-parent version in ../pom.xml");
        List<String> versions = new ArrayList<>();
        Matcher m = CHAINRULE_VERSION.matcher(readmePom(section()).text());
        while (m.find()) {
            versions.add(m.group(1));
        }
        assertFalse(versions.isEmpty(), "README's pom.xml depends on no dev.chainrule artifact");
        for (String version : versions) {
            assertEquals(parent.group(1), version, "README's pom.xml depends on chainrule " + version
                    + " but this build is " + parent.group(1));
        }
    }

    /** The section's one ```xml block, and where it ends. */
    private static Block readmePom(String section) {
        Matcher m = XML_BLOCK.matcher(section);
        assertTrue(m.find(), "no ```xml block in README's \"" + SECTION + "\"");
        Block pom = new Block(m.group(1), m.end());
        assertFalse(m.find(), "more than one ```xml block in README's \"" + SECTION + "\"; expected the pom alone");
        return pom;
    }

    /** The first ```java block after the pom. */
    private static String harnessSnippet() throws IOException {
        String section = section();
        List<String> blocks = ReadmeTest.javaBlocks(section.substring(readmePom(section).end()));
        assertFalse(blocks.isEmpty(), "no ```java block after the pom in README's \"" + SECTION + "\"");
        return blocks.get(0);
    }

    /** README from the section's heading to the next heading. */
    private static String section() throws IOException {
        String readme = Files.readString(ReadmeTest.README);
        int start = readme.indexOf(SECTION);
        assertTrue(start >= 0, "README has no section \"" + SECTION + "\"");
        Matcher next = Pattern.compile("\\n#+ ").matcher(readme).region(start + SECTION.length(), readme.length());
        return readme.substring(start, next.find() ? next.start() : readme.length());
    }

    private record Block(String text, int end) {}
}
