package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Every public method of the API, given null for any one of its object arguments, throws a NullPointerException
 * that names that argument (by its name, or a node's input by its position), never a bare one from deep inside
 * or a wrong result. The few arguments documented as nullable are listed.
 */
class NullArgumentsTest {
    private static final List<Class<?>> API = List.of(Ops.class, Variable.class, Gradients.class, GradCheck.class,
            NonFinite.class, Graphs.class, BackwardOptions.class);

    /** Documented as accepting null: a name to remove, the default seed, no listener. */
    private static final Set<String> NULLABLE = Set.of("Variable.named(newName)", "BackwardOptions.seed(gradient)",
            "BackwardOptions.listener(l)");

    /** A valid value of each argument type, so that the null alone is wrong. */
    private static final Map<Class<?>, Supplier<Object>> VALID = Map.of(
            Variable.class, () -> Variable.parameter(Tensor.ones(2, 2)).named("v"),
            Variable[].class, () -> new Variable[] {Variable.parameter(Tensor.ones(2, 2))},
            Tensor.class, () -> Tensor.ones(2, 2),
            Tensor[].class, () -> new Tensor[] {Tensor.ones(2, 2)},
            Shape.class, () -> Shape.of(2, 2),
            int[].class, () -> new int[] {0},
            BackwardOptions.class, BackwardOptions::defaults,
            GradCheck.Graph.class, () -> (GradCheck.Graph) xs -> Ops.tanh(xs[0]),
            String.class, () -> "name",
            RandomGenerator.class, () -> Randoms.seeded(1));

    @Test
    void everyObjectArgumentOfThePublicApiIsCheckedForNullAndNamed() throws Exception {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Class<?> type : API) {
            for (Method method : type.getDeclaredMethods()) {
                if (!Modifier.isPublic(method.getModifiers())) {
                    continue;
                }
                Parameter[] parameters = method.getParameters();
                for (int i = 0; i < parameters.length; i++) {
                    String where = type.getSimpleName() + "." + method.getName() + "(" + parameters[i].getName() + ")";
                    if (parameters[i].getType().isPrimitive() || NULLABLE.contains(where)) {
                        continue;
                    }
                    String problem = problemWithNull(method, i);
                    checked++;
                    if (problem != null) {
                        failures.add(where + ": " + problem);
                    }
                }
            }
        }
        assertTrue(checked > 60, "expected the whole API to be checked, got " + checked + " arguments");
        assertEquals(List.of(), failures);
    }

    /** Null for argument i: null if the error names it, else what went wrong. */
    private static String problemWithNull(Method method, int nullAt) throws IllegalAccessException {
        Parameter[] parameters = method.getParameters();
        Object[] args = new Object[parameters.length];
        int variableIndex = 0;
        int nullInput = -1;
        for (int i = 0; i < args.length; i++) {
            Class<?> type = parameters[i].getType();
            if (i == nullAt) {
                nullInput = type == Variable.class ? variableIndex : -1;
            } else {
                args[i] = valid(type);
            }
            variableIndex += type == Variable.class ? 1 : 0;
        }
        Object target = Modifier.isStatic(method.getModifiers()) ? null : instanceOf(method.getDeclaringClass());
        try {
            method.invoke(target, args);
            return "accepted null";
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            String message = String.valueOf(cause.getMessage());
            boolean named = message.contains(parameters[nullAt].getName() + " is null")
                    || (nullInput >= 0 && message.matches("(?s).*input \\d+ is null.*"));
            return cause instanceof NullPointerException && named ? null : cause + " does not name the argument";
        }
    }

    private static Object valid(Class<?> type) {
        if (type == double.class) {
            return 2.0;
        }
        if (type == boolean.class) {
            return true;
        }
        if (type == int.class || type == long.class) {
            return type == int.class ? (Object) 0 : (Object) 0L;
        }
        Supplier<Object> supplier = VALID.get(type);
        if (supplier == null) {
            throw new AssertionError("no valid value of " + type + " for the null test: add one");
        }
        return supplier.get();
    }

    private static Object instanceOf(Class<?> type) {
        if (type == Variable.class) {
            return valid(Variable.class);
        }
        if (type == GradCheck.class) {
            return GradCheck.defaults();
        }
        if (type == BackwardOptions.class) {
            return BackwardOptions.defaults();
        }
        throw new AssertionError("no instance of " + type + " for the null test: add one");
    }

}
