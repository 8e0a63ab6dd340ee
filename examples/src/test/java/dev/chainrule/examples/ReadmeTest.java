package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * README's Java examples cannot rot: each one stands, line for line (indentation aside), in a source file of
 * the project (a worked example here, or a test in the module it shows), which the build compiles and runs.
 */
class ReadmeTest {
    static final Path README = Path.of("../README.md");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyJavaBlockInTheReadmeIsCompiledAndRunHere() throws IOException {
        List<String> blocks = javaBlocks(Files.readString(README));
        assertTrue(blocks.size() >= 3, "expected the quick start, the GradCheck call and a property, found " + blocks.size());
        List<String> sources;
        try (Stream<Path> files = Stream.of("core", "autodiff", "nn", "examples")
                .flatMap(module -> walk(Path.of("..", module, "src")))) {
            sources = files.filter(f -> f.toString().endsWith(".java")).map(ReadmeTest::read)
                    .map(ReadmeTest::normalized).collect(Collectors.toList());
        }
        for (String block : blocks) {
            String expected = normalized(block);
            assertTrue(sources.stream().anyMatch(source -> source.contains(expected)),
                    "README block not found in any module's src:\n" + block);
        }
    }

    private static Stream<Path> walk(Path folder) {
        try {
            return Files.walk(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> javaBlocks(String readme) {
        List<String> blocks = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(readme);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** Each line without its indentation, blank lines dropped. */
    static String normalized(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).collect(Collectors.joining("\n"));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
