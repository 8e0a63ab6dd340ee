package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.reflect.ClassPath;
import dev.chainrule.autodiff.testing.Covers;
import dev.chainrule.autodiff.testing.PropertyTest;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Keeps "every node has a gradient property" true as nodes are added: a node nobody covers fails the build. */
class NodeCoverageTest {
    private static final String PACKAGE = "dev.chainrule.autodiff";

    @Test
    void everyNodeIsCoveredByAGradientProperty() throws IOException {
        Set<String> nodes = new TreeSet<>();
        Set<String> covered = new TreeSet<>();
        for (Class<?> type : classesOfPackage()) {
            if (isShipped(type) && Function.class.isAssignableFrom(type) && !Modifier.isAbstract(type.getModifiers())) {
                nodes.add(type.getName());
            }
            for (Method method : type.getDeclaredMethods()) {
                Covers covers = method.getAnnotation(Covers.class);
                if (covers != null && method.isAnnotationPresent(PropertyTest.class)) {
                    Arrays.stream(covers.value()).map(Class::getName).forEach(covered::add);
                }
            }
        }
        assertTrue(nodes.size() >= 25, "expected the 25 documented nodes at least, found " + nodes);
        Set<String> uncovered = nodes.stream().filter(n -> !covered.contains(n)).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), uncovered, "nodes with no @PropertyTest @Covers: add a gradient property for each");
    }

    private static Set<Class<?>> classesOfPackage() throws IOException {
        return ClassPath.from(NodeCoverageTest.class.getClassLoader()).getAllClasses().stream()
                .filter(info -> info.getPackageName().equals(PACKAGE))
                .map(ClassPath.ClassInfo::load)
                .collect(Collectors.toSet());
    }

    /** Main code, not a class of the tests (the negative controls plant broken nodes there). */
    private static boolean isShipped(Class<?> type) {
        String location = type.getProtectionDomain().getCodeSource().getLocation().toString();
        return !location.contains("test-classes") && !location.contains("-tests.jar");
    }
}
