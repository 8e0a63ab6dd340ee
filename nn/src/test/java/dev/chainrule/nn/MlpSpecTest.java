package dev.chainrule.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Randoms;
import dev.chainrule.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class MlpSpecTest {
    private static final String LINE = "mlp 784-256-10 relu dropout 0.1/0.2 standardized";

    private static String refusal(String line) {
        return assertThrows(IllegalArgumentException.class, () -> MlpSpec.parse(line)).getMessage();
    }

    @Test
    void theStandardizedTokenReadsBackAndPutsAStandardizationFirst() {
        MlpSpec spec = MlpSpec.parse(LINE);
        Sequential net = spec.build(Init.he(), Randoms.seeded(1));

        assertTrue(spec.standardized());
        assertEquals(LINE, spec.toString());
        assertEquals(spec, MlpSpec.parse(spec.toString()));
        assertNotEquals(spec, MlpSpec.parse("mlp 784-256-10 relu dropout 0.1/0.2"));
        assertEquals("mlp 784-256-10 relu dropout 0.1/0.2", MlpSpec.parse("mlp 784-256-10 relu dropout 0.1/0.2")
                .toString(), "a spec without the token reads as before, so that old files still match");
        assertEquals(List.of("layer1.mean", "layer1.std"), net.buffers().stream().map(Buffer::name).toList());
        assertEquals(List.of("layer3.W", "layer3.b", "layer6.W", "layer6.b"),
                net.parameters().stream().map(Parameter::name).toList());
        assertEquals(List.of(Tensor.zeros(784), Tensor.ones(784)),
                net.buffers().stream().map(b -> b.variable().value()).toList(), "a placeholder until loading");
    }

    @Test
    void aFittedStandardizationBecomesTheFirstLayer() {
        Standardize fitted = new Standardize(Tensor.vector(1, 2), Tensor.vector(3, 4));
        Sequential net = MlpSpec.parse("mlp 2-1 tanh dropout 0.0/0.0 standardized").build(Init.he(),
                Randoms.seeded(1), fitted);

        assertTrue(net.layers().get(0) == fitted);
    }

    @Test
    void aFittedStandardizationIsRefusedWhereItDoesNotFit() {
        Standardize two = new Standardize(Tensor.vector(1, 2), Tensor.vector(3, 4));
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
                () -> MlpSpec.parse("mlp 2-1 tanh dropout 0.0/0.0").build(Init.he(), Randoms.seeded(1), two));
        MlpSpec three = MlpSpec.parse("mlp 3-1 tanh dropout 0.0/0.0 standardized");
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> three.build(Init.he(), Randoms.seeded(1), two));

        assertEquals("MlpSpec.build: \"mlp 2-1 tanh dropout 0.0/0.0\" has no standardization; end it with "
                + "\"standardized\" to put a Standardize layer first", plain.getMessage());
        assertEquals("MlpSpec.build: \"mlp 3-1 tanh dropout 0.0/0.0 standardized\" has 3 inputs, but the Standardize "
                + "layer standardizes 2 columns", width.getMessage());
    }

    @Test
    void malformedSpecsAreRefusedSayingWhatWasExpected() {
        assertEquals("MlpSpec: \"mlp 3-2 relu dropout 0/0 standardize\": \"standardize\" after the dropout must be "
                + "\"standardized\" or nothing", refusal("mlp 3-2 relu dropout 0/0 standardize"));
        assertEquals("MlpSpec: \"standardized mlp 3-2 relu dropout 0/0\" is not like \"mlp 784-256-128-10 relu "
                + "dropout 0.1/0.2, optionally followed by standardized\"",
                refusal("standardized mlp 3-2 relu dropout 0/0"));
        assertTrue(refusal("mlp 3-2 relu dropout 0/0 standardized twice").contains("is not like"));
        assertTrue(refusal("mlp 3-2 relu dropout 0.1 standardized").contains("dropout needs input/hidden"));
    }
}
