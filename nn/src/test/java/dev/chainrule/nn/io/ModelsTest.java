package dev.chainrule.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Buffer;
import dev.chainrule.nn.Init;
import dev.chainrule.nn.Linear;
import dev.chainrule.nn.MlpSpec;
import dev.chainrule.nn.Parameter;
import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.Standardize;
import dev.chainrule.autodiff.GradMode;
import dev.chainrule.autodiff.Variable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

class ModelsTest {
    @TempDir
    Path folder;

    private static Gen<MlpSpec> specs() {
        return SourceDSL.lists().of(Generate.range(1, 6)).ofSizeBetween(2, 4)
                .zip(Generate.pick(List.of("sigmoid", "tanh", "relu")), Generate.pick(List.of(0.0, 0.1)),
                        SourceDSL.booleans().all(),
                        (widths, activation, dropout, standardized) -> new MlpSpec(
                                widths.stream().mapToInt(Integer::intValue).toArray(), activation, dropout, dropout,
                                standardized));
    }

    /** The spec's network, with random μ and σ if it is standardized, so that losing them changes predictions. */
    private static Sequential trained(MlpSpec spec, long seed) {
        if (!spec.standardized()) {
            return spec.build(Init.xavierNormal(), Randoms.seeded(seed));
        }
        Shape inputs = Shape.of(spec.widths()[0]);
        Standardize fitted = new Standardize(Tensor.normal(Randoms.seeded(seed + 2), 0, 10, inputs),
                Tensor.uniform(Randoms.seeded(seed + 3), 0.5, 4, inputs));
        return spec.build(Init.xavierNormal(), Randoms.seeded(seed), fitted);
    }

    private static Tensor outputs(Sequential net, Tensor x) {
        net.eval();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return net.forward(Variable.constant(x)).value();
        }
    }

    @Test
    void aNetworkRebuiltFromItsFilePredictsBitForBitTheSame() {
        qt().withExamples(60).forAll(specs(), SourceDSL.longs().all()).checkAssert((spec, seed) -> {
            Sequential net = trained(spec, seed);
            Tensor x = Tensor.normal(Randoms.seeded(seed + 1), 0, 10, Shape.of(3, spec.widths()[0]));
            Path file = folder.resolve("m" + Long.toHexString(seed) + ".safetensors");
            try {
                Models.save(file, net, spec.toString());
                Sequential restored = Models.loadMlp(file);
                assertEquals(outputs(net, x), outputs(restored, x), spec.toString());
                assertEquals(net.parameters().stream().map(Parameter::name).toList(),
                        restored.parameters().stream().map(Parameter::name).toList());
                assertTrue(ModelFiles.bitIdentical(values(net), values(restored)), spec.toString());
                assertFalse(restored.isTraining(), "restored in evaluation mode");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Standardization with μ = (1, −2, 0.5) and σ = (2, 0.25, 1), or the identity placeholder, then a layer. */
    private static Sequential standardized(boolean fitted, long seed) {
        Standardize standardize = fitted ? new Standardize(Tensor.vector(1, -2, 0.5), Tensor.vector(2, 0.25, 1))
                : Standardize.identity(3);
        return new Sequential(standardize, new Linear(3, 2, Init.xavierNormal(), Randoms.seeded(seed)));
    }

    private static final String STANDARDIZED = "standardize 3, linear 3-2";

    private static Map<String, Tensor> values(Sequential net) {
        Map<String, Tensor> values = new LinkedHashMap<>();
        net.parameters().forEach(p -> values.put(p.name(), p.variable().value()));
        net.buffers().forEach(b -> values.put(b.name(), b.variable().value()));
        return values;
    }

    @Test
    void buffersAreSavedAndLoadedWithTheParameters() throws IOException {
        Sequential trained = standardized(true, 1);
        Sequential fresh = standardized(false, 2);
        Path file = folder.resolve("standardized.safetensors");
        Tensor x = Tensor.normal(Randoms.seeded(3), 0, 5, Shape.of(4, 3));

        Models.save(file, trained, STANDARDIZED);
        Models.loadInto(file, fresh, STANDARDIZED);

        assertEquals(List.of("layer2.W", "layer2.b", "layer1.mean", "layer1.std"),
                List.copyOf(ModelFile.read(file).tensors().keySet()), "the file holds parameters, then buffers");
        assertTrue(ModelFiles.bitIdentical(values(trained), values(fresh)));
        assertEquals(outputs(trained, x), outputs(fresh, x));
        assertEquals("layer1.mean", fresh.buffers().get(0).variable().name());
    }

    @Test
    void aFileWithoutTheModulesBuffersOrWithOthersIsRefusedAndTheModuleIsLeftAsItWas() throws IOException {
        Sequential target = standardized(false, 2);
        Map<String, Tensor> before = values(target);
        Map<String, Tensor> parametersOnly = new LinkedHashMap<>(values(standardized(true, 1)));
        parametersOnly.keySet().removeIf(name -> name.startsWith("layer1."));
        Map<String, Tensor> misshapen = new LinkedHashMap<>(values(standardized(true, 1)));
        misshapen.put("layer1.std", Tensor.ones(4));
        misshapen.put("layer1.median", Tensor.zeros(3));

        String missing = refusal(target, parametersOnly);
        String wrong = refusal(target, misshapen);

        assertTrue(missing.contains("missing \"layer1.mean\" (3); missing \"layer1.std\" (3)"), missing);
        assertTrue(wrong.contains("\"layer1.std\" is (4) in the file but (3) was expected"), wrong);
        assertTrue(wrong.contains("unexpected \"layer1.median\" (3)"), wrong);
        assertTrue(ModelFiles.bitIdentical(before, values(target)), "nothing was assigned");
        assertTrue(target.buffers().stream().map(Buffer::variable).allMatch(v -> v.version() == 0));
    }

    /** Writes {@code tensors} as a file of the standardized architecture and returns why loading it failed. */
    private String refusal(Sequential target, Map<String, Tensor> tensors) throws IOException {
        Path file = folder.resolve("other.safetensors");
        ModelFile.write(file, tensors, Map.of(Models.ARCHITECTURE, STANDARDIZED));
        return assertThrows(ModelFileException.class, () -> Models.loadInto(file, target, STANDARDIZED)).getMessage();
    }

    @Test
    void aFileIsRefusedForAnotherArchitectureOrOtherShapesAndTheModelIsLeftAsItWas() throws IOException {
        MlpSpec small = MlpSpec.parse("mlp 3-4-2 relu dropout 0.0/0.0");
        MlpSpec wide = MlpSpec.parse("mlp 3-5-2 relu dropout 0.0/0.0");
        Path file = folder.resolve("small.safetensors");
        Models.save(file, small.build(Init.he(), Randoms.seeded(1)), small.toString());
        Sequential other = wide.build(Init.he(), Randoms.seeded(2));
        Tensor before = other.parameter("layer1.W").variable().value();

        ModelFileException architecture = assertThrows(ModelFileException.class,
                () -> Models.loadInto(file, other, wide.toString()));
        ModelFileException shapes = assertThrows(ModelFileException.class,
                () -> Models.loadInto(file, other, small.toString()));

        assertTrue(architecture.getMessage().contains("\"architecture\" is \"mlp 3-4-2 relu dropout 0.0/0.0\" in the file, "
                + "but \"mlp 3-5-2 relu dropout 0.0/0.0\" was expected"), architecture.getMessage());
        assertTrue(shapes.getMessage().contains("\"layer1.W\" is (3, 4) in the file but (3, 5) was expected"),
                shapes.getMessage());
        assertEquals(before, other.parameter("layer1.W").variable().value());
    }

    @Test
    void aFileSavedBeforeBuffersExistedStillLoads() throws IOException {
        MlpSpec spec = MlpSpec.parse("mlp 3-4-2 tanh dropout 0.0/0.1");
        Sequential net = spec.build(Init.he(), Randoms.seeded(4));
        Map<String, Tensor> parameters = new LinkedHashMap<>();
        net.parameters().forEach(p -> parameters.put(p.name(), p.variable().value()));
        Path file = folder.resolve("old.safetensors");
        ModelFile.write(file, parameters, Map.of(Models.ARCHITECTURE, "mlp 3-4-2 tanh dropout 0.0/0.1"));

        Sequential restored = Models.loadMlp(file);

        assertEquals(List.of(), restored.buffers());
        assertTrue(ModelFiles.bitIdentical(parameters, values(restored)));
    }

    @Test
    void aStandardizedArchitectureWithoutItsBuffersIsRefusedNamingThem() throws IOException {
        MlpSpec spec = MlpSpec.parse("mlp 3-2 relu dropout 0.0/0.0 standardized");
        Map<String, Tensor> parameters = new LinkedHashMap<>();
        spec.build(Init.he(), Randoms.seeded(4)).parameters()
                .forEach(p -> parameters.put(p.name(), p.variable().value()));
        Path file = folder.resolve("forgetful.safetensors");
        ModelFile.write(file, parameters, Map.of(Models.ARCHITECTURE, spec.toString()));

        ModelFileException e = assertThrows(ModelFileException.class, () -> Models.loadMlp(file));
        assertTrue(e.getMessage().endsWith("missing \"layer1.mean\" (3); missing \"layer1.std\" (3)"), e.getMessage());
    }

    @Test
    void aFileWithoutAnMlpArchitectureCannotBeRebuilt() throws IOException {
        Path file = folder.resolve("custom.safetensors");
        Models.save(file, MlpSpec.parse("mlp 2-2 tanh dropout 0.0/0.0").build(Init.he(), Randoms.seeded(1)), "my own net");

        ModelFileException e = assertThrows(ModelFileException.class, () -> Models.loadMlp(file));
        assertTrue(e.getMessage().contains("the architecture is not a multilayer perceptron"), e.getMessage());
        assertTrue(Files.exists(file));
    }

    @Test
    void specsReadBackWhatTheyWriteAndRefuseWhatTheyCannotRead() {
        MlpSpec spec = MlpSpec.parse("mlp 784-256-128-10 relu dropout 0.1/0.2");
        assertEquals("mlp 784-256-128-10 relu dropout 0.1/0.2", spec.toString());
        assertEquals(spec, MlpSpec.parse(spec.toString()));
        assertEquals(List.of("layer2.W", "layer2.b", "layer5.W", "layer5.b", "layer8.W", "layer8.b"),
                spec.build(Init.he(), Randoms.seeded(1)).parameters().stream().map(Parameter::name).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MlpSpec.parse("mlp 784-x-10 relu dropout 0/0"));
        assertTrue(e.getMessage().startsWith("MlpSpec: \"mlp 784-x-10 relu dropout 0/0\": "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MlpSpec.parse("mlp 784-10 swish dropout 0/0"));
        assertThrows(IllegalArgumentException.class, () -> MlpSpec.parse("784-10"));
    }
}
