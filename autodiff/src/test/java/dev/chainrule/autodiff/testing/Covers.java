package dev.chainrule.autodiff.testing;

import dev.chainrule.autodiff.Function;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The nodes whose backward a {@link PropertyTest} checks against numerical gradients. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Covers {
    Class<? extends Function>[] value();
}
