package dev.chainrule.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

class ParameterVectorTest {
    /** One to four parameters of rank 0 to 2, dimensions 1 to 4, values anywhere (−0, subnormals included). */
    private static Gen<List<Parameter>> parameterLists() {
        Gen<Shape> shapes = SourceDSL.lists().of(Generate.range(1, 4)).ofSizeBetween(0, 2)
                .map(dims -> Shape.of(dims.stream().mapToInt(Integer::intValue).toArray()));
        return SourceDSL.lists().of(shapes).ofSizeBetween(1, 4).flatMap(list -> {
            int total = list.stream().mapToInt(Shape::size).sum();
            return SourceDSL.lists().of(SourceDSL.doubles().any()).ofSize(total).map(values -> {
                List<Parameter> parameters = new ArrayList<>();
                int offset = 0;
                for (int i = 0; i < list.size(); i++) {
                    double[] data = new double[list.get(i).size()];
                    for (int j = 0; j < data.length; j++) {
                        data[j] = values.get(offset++);
                    }
                    parameters.add(new Parameter("p" + i, Variable.parameter(Tensor.of(list.get(i), data)),
                            Parameter.Role.WEIGHT));
                }
                return parameters;
            });
        });
    }

    @Test
    void unrollingAndRollingBackIsExactInBothDirections() {
        qt().withExamples(300).forAll(parameterLists()).checkAssert(parameters -> {
            ParameterVector vector = ParameterVector.of(parameters);
            double[] before = vector.values();
            List<Tensor> originals = parameters.stream().map(p -> p.variable().value()).toList();

            double[] shifted = before.clone();
            for (int i = 0; i < shifted.length; i++) {
                shifted[i] = i * 0.5 - 1;
            }
            vector.assign(shifted);
            assertArrayEquals(shifted, vector.values(), 0.0);
            vector.assign(before);
            for (int i = 0; i < parameters.size(); i++) {
                assertEquals(originals.get(i), parameters.get(i).variable().value(), "parameter " + i);
            }
            assertEquals(before.length, vector.size());
        });
    }

    @Test
    void gradientsAreUnrolledInTheSameOrderWithZerosForParametersWithoutOne() {
        Variable a = Variable.parameter(Tensor.matrix(new double[] {1, 2}, new double[] {3, 4}));
        Variable b = Variable.parameter(Tensor.vector(5));
        Variable c = Variable.parameter(Tensor.vector(6, 7));
        List<Parameter> parameters = List.of(new Parameter("a", a, Parameter.Role.WEIGHT),
                new Parameter("b", b, Parameter.Role.BIAS), new Parameter("c", c, Parameter.Role.WEIGHT));
        Ops.add(Ops.sum(Ops.mul(a, a)), Ops.sum(Ops.mul(c, 3.0))).backward();

        assertArrayEquals(new double[] {2, 4, 6, 8, 0, 3, 3}, ParameterVector.of(parameters).gradients(), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParameterVector.of(parameters).assign(new double[6]));
        assertEquals("ParameterVector.assign: 6 values for 7 parameter elements", e.getMessage());
    }
}
