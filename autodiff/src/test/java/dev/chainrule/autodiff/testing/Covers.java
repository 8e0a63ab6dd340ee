package dev.chainrule.autodiff.testing;

import dev.chainrule.autodiff.Function;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The nodes whose backward a {@link PropertyTest} checks against numerical gradients. Read on methods that are
 * also property tests: autodiff's node-coverage test fails the build for a node that no such method covers.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Covers {
    /**
     * The nodes covered.
     *
     * @return the node classes whose gradients the annotated property checks, one or more
     */
    Class<? extends Function>[] value();
}
