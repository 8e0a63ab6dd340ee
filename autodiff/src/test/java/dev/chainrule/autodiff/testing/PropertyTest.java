package dev.chainrule.autodiff.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A property: a JUnit 5 test, tagged {@code property} so that reports and the node-coverage test can count it.
 * Its body runs QuickTheories ({@link Properties#qt()}) over generated cases.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Test
@Tag("property")
public @interface PropertyTest {}
