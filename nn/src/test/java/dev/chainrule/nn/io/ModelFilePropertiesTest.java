package dev.chainrule.nn.io;

import static dev.chainrule.nn.io.ModelFiles.ARCHITECTURE;
import static dev.chainrule.nn.io.ModelFiles.bitIdentical;
import static dev.chainrule.nn.io.ModelFiles.rawBits;
import static dev.chainrule.nn.io.ModelFiles.smallModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.QuickTheory;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties of model files: whatever is saved loads bit for bit, so a restored network predicts bit for bit; and
 * whatever a file's damage, loading it ends in our exception, fast and in bounded memory, never in another
 * exception, a hang or a half-loaded model. QuickTheories prints the seed of a failure; {@code -DQT_SEED=<seed>}
 * replays it, and {@code -Dchainrule.examples=N} sets the examples per property (the fuzz runs 30 times as many).
 */
@Tag("property")
class ModelFilePropertiesTest {
    private static final int EXAMPLES = Integer.getInteger("chainrule.examples", 100);

    @TempDir
    Path folder;

    // ---- round trip -----------------------------------------------------------------------------------------------

    @Test
    void whatIsSavedLoadsBitForBit() {
        Path file = folder.resolve("m.safetensors");
        QuickTheory.qt().withExamples(EXAMPLES).forAll(models()).checkAssert(model -> {
            write(file, model.tensors, model.metadata);
            ModelFile.Contents loaded = read(file);
            assertTrue(bitIdentical(model.tensors, loaded.tensors()), () -> "loaded " + loaded);
            assertEquals(List.copyOf(model.metadata.entrySet()), List.copyOf(loaded.metadata().entrySet()));
        });
    }

    @Test
    void aRestoredNetworkPredictsBitForBit() {
        Path file = folder.resolve("net.safetensors");
        QuickTheory.qt().withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
            RandomGenerator random = Randoms.seeded(seed);
            Map<String, Tensor> parameters = new LinkedHashMap<>();
            parameters.put("layer1.W", Tensor.normal(random, 0, 1, Shape.of(3, 5)));
            parameters.put("layer1.b", Tensor.normal(random, 0, 1, Shape.of(5)));
            parameters.put("layer2.W", Tensor.normal(random, 0, 1, Shape.of(5, 2)));
            parameters.put("layer2.b", Tensor.normal(random, 0, 1, Shape.of(2)));
            Tensor x = Tensor.normal(random, 0, 3, Shape.of(7, 3));
            write(file, parameters, ARCHITECTURE);
            Map<String, Tensor> restored = read(file).tensors();
            assertArrayEquals(rawBits(predict(parameters, x)), rawBits(predict(restored, x)));
        });
    }

    /** σ(tanh(x·W1 + b1)·W2 + b2). */
    private static Tensor predict(Map<String, Tensor> p, Tensor x) {
        Variable hidden = Ops.tanh(Ops.affine(Variable.constant(x), Variable.constant(p.get("layer1.W")),
                Variable.constant(p.get("layer1.b"))));
        return Ops.sigmoid(Ops.affine(hidden, Variable.constant(p.get("layer2.W")),
                Variable.constant(p.get("layer2.b")))).value();
    }

    // ---- damage ---------------------------------------------------------------------------------------------------

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDamagedFileEndsInOurExceptionAlone() throws IOException {
        Path original = folder.resolve("m.safetensors");
        ModelFile.write(original, smallModel(), ARCHITECTURE);
        byte[] valid = Files.readAllBytes(original);
        Path file = folder.resolve("damaged.safetensors");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        QuickTheory.qt().withExamples(30 * EXAMPLES).forAll(damage(valid)).checkAssert(damage -> {
            byte[] bytes = damage.apply(valid);
            try {
                ModelFiles.overwrite(file, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            Throwable thrown = null;
            try {
                ModelFile.read(file);
            } catch (Throwable t) {
                thrown = t;
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            if (thrown == null) {
                // Only an undamaged file loads: the checksum covers every byte.
                assertArrayEquals(valid, bytes, () -> "a damaged file loaded: " + damage);
            } else if (!(thrown instanceof ModelFileException)) {
                throw new AssertionError("not a ModelFileException: " + thrown + ", for " + damage, thrown);
            } else {
                String message = thrown.getMessage();
                assertTrue(message.startsWith(file + " at byte ") || message.startsWith(file + ": "), message);
                assertFalse(message.contains("\n") || message.contains("\r"), message);
            }
            // Whatever the header claims, the reader allocates in proportion to the file's real size.
            assertTrue(allocated < (1 << 20) + 64L * bytes.length,
                    () -> allocated + " bytes allocated to read " + bytes.length + ", for " + damage);
        });
    }

    // ---- generators -----------------------------------------------------------------------------------------------

    /** A model to save: tensors in an order, and metadata. */
    private static final class Model {
        final Map<String, Tensor> tensors;
        final Map<String, String> metadata;

        Model(List<Pair<String, Tensor>> tensors, List<Pair<String, String>> metadata) {
            this.tensors = new LinkedHashMap<>();
            tensors.forEach(p -> this.tensors.put(p._1, p._2));
            this.metadata = new LinkedHashMap<>();
            metadata.forEach(p -> this.metadata.put(p._1, p._2));
        }

        @Override
        public String toString() {
            return tensors.entrySet().stream().map(e -> quote(e.getKey()) + " " + e.getValue().shape() + " bits "
                    + Arrays.stream(rawBits(e.getValue())).mapToObj(Long::toHexString).collect(Collectors.toList()))
                    .collect(Collectors.joining("; ", "tensors {", "}")) + ", metadata "
                    + metadata.entrySet().stream().map(e -> quote(e.getKey()) + "=" + quote(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
    }

    private static Gen<Model> models() {
        Gen<List<Pair<String, Tensor>>> tensors = lists().of(names().zip(tensors(), Pair::of)).ofSizeBetween(0, 5);
        Gen<String> keys = names().map(k -> k.startsWith(ModelFile.RESERVED_PREFIX) ? "_" + k : k);
        Gen<List<Pair<String, String>>> metadata = lists().of(keys.zip(names(), Pair::of)).ofSizeBetween(0, 3);
        return tensors.zip(metadata, Model::new);
    }

    /** Shapes of rank 0 to 3 with dimensions 0 to 4, holding doubles that matter to bits. */
    private static Gen<Tensor> tensors() {
        return Generate.intArrays(Generate.range(0, 3), Generate.range(0, 4)).flatMap(dims -> {
            Shape shape = Shape.of(dims);
            return lists().of(bitPatterns()).ofSize(shape.size()).map(
                    values -> Tensor.of(shape, values.stream().mapToDouble(Double::doubleValue).toArray()));
        });
    }

    /** NaNs with payloads and signs, ±0, subnormals, ±∞, extremes, arbitrary bit patterns and plain numbers. */
    private static Gen<Double> bitPatterns() {
        List<Double> special = List.of(Double.NaN, Double.longBitsToDouble(0x7ff0000000000001L),
                Double.longBitsToDouble(0xfff8000000000123L), 0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE,
                Double.longBitsToDouble(0x000fffffffffffffL), Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        return Generate.frequency(Pair.of(2, Generate.pick(special)),
                Pair.of(2, longs().all().map(Double::longBitsToDouble)),
                Pair.of(1, doubles().between(-10, 10)));
    }

    /** Names that JSON must escape, in every plane of Unicode; never {@code __metadata__}. */
    private static Gen<String> names() {
        List<Integer> awkward = List.of((int) '"', (int) '\\', (int) '/', (int) '\n', 0, 0x1f, 0x7f, 0x2028, 0xe9,
                0x4e2d, 0x1f600, (int) '.', (int) '_', (int) ' ', (int) 'W');
        Gen<Integer> codePoints = Generate.frequency(Pair.of(3, Generate.pick(awkward)),
                Pair.of(1, Generate.range(0, 0x10ffff).map(c -> c >= 0xd800 && c <= 0xdfff ? c + 0x800 : c)));
        return lists().of(codePoints).ofSizeBetween(0, 8)
                .map(cs -> cs.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                        .toString())
                .map(s -> s.equals("__metadata__") ? s + "_" : s);
    }

    private static String quote(String s) {
        return "\"" + s.codePoints().mapToObj(c -> c < 0x20 || c > 0x7e ? String.format("\\u{%x}", c)
                : String.valueOf((char) c)).collect(Collectors.joining()) + "\"";
    }

    /** A way to damage a file, with a description for the report. */
    private record Damage(String description, UnaryOperator<byte[]> change) {
        byte[] apply(byte[] valid) {
            return change.apply(valid.clone());
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private static final Pattern JSON_NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final Pattern JSON_STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final List<String> NUMBERS = List.of("0", "1", "7", "8", "16", "00", "-1", "-0", "1.5", "1e2",
            "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
            "18446744073709551616", "99999999999999999999999999");
    private static final List<String> VALUES = List.of("\"F64\"", "\"F32\"", "\"__metadata__\"", "\"dtype\"",
            "\"shape\"", "\"data_offsets\"", "\"chainrule.crc32c\"", "\"chainrule.version\"", "\"2\"", "\"\"", "1",
            "[]", "{}", "[0,0]", "null", "true", "\"\\u0000\"", "\"\\ud800\"", "{\"a\":", "\"x\":{}");
    private static final List<Long> LENGTHS = List.of(0L, 1L, 2L, 7L, 8L, 9L, 1L << 31, (1L << 31) - 1, 1L << 32,
            100_000_000L, 100_000_001L, Long.MAX_VALUE, Long.MIN_VALUE, -1L);

    /** Damage of every kind: cuts, flipped bits, changed, inserted and deleted bytes, and changed JSON tokens. */
    private static Gen<Damage> damage(byte[] valid) {
        int n = valid.length;
        int headerLength = (int) ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(valid, 8, headerLength, StandardCharsets.UTF_8);
        Gen<Integer> position = Generate.range(0, n - 1);
        Gen<Damage> cut = Generate.range(0, n - 1).map(length -> new Damage("cut to " + length + " bytes",
                bytes -> Arrays.copyOf(bytes, length)));
        Gen<Damage> flip = position.zip(Generate.range(0, 7), (p, bit) -> new Damage("bit " + bit + " of byte " + p
                + " flipped", bytes -> {
                    bytes[p] ^= (byte) (1 << bit);
                    return bytes;
                }));
        Gen<Damage> set = lists().of(position.zip(Generate.range(0, 255), Pair::of)).ofSizeBetween(1, 8).map(
                changes -> new Damage("bytes set " + changes, bytes -> {
                    changes.forEach(c -> bytes[c._1] = (byte) (int) c._2);
                    return bytes;
                }));
        Gen<Damage> insert = position.zip(Generate.byteArrays(Generate.range(1, 16), Generate.bytes((byte) -128,
                (byte) 127, (byte) 0)), (p, inserted) -> new Damage(Arrays.toString(inserted) + " inserted at " + p,
                        bytes -> splice(bytes, p, 0, inserted)));
        Gen<Damage> delete = position.zip(Generate.range(1, 16), (p, count) -> new Damage(count + " bytes deleted at "
                + p, bytes -> splice(bytes, p, Math.min(count, n - p), new byte[0])));
        Gen<Damage> length = Generate.frequency(Pair.of(3, Generate.pick(LENGTHS)),
                Pair.of(1, Generate.longRange(headerLength - 16, headerLength + 16)),
                Pair.of(1, longs().all())).map(claimed -> new Damage("header length set to " + claimed, bytes -> {
                    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, claimed);
                    return bytes;
                }));
        Gen<Damage> number = Generate.range(0, 200).zip(Generate.pick(NUMBERS),
                (k, literal) -> token(valid, header, JSON_NUMBER, k, literal));
        Gen<Damage> string = Generate.range(0, 200).zip(Generate.pick(VALUES),
                (k, literal) -> token(valid, header, JSON_STRING, k, literal));
        return Generate.frequency(List.of(Pair.of(2, cut), Pair.of(3, flip), Pair.of(2, set), Pair.of(1, insert),
                Pair.of(1, delete), Pair.of(2, length), Pair.of(2, number), Pair.of(2, string)));
    }

    /**
     * Replaces the k-th (mod their count) JSON token that {@code pattern} matches in the header by {@code literal},
     * and sets the header length to match, so that the damage reaches the JSON checks.
     */
    private static Damage token(byte[] valid, String header, Pattern pattern, int k, String literal) {
        List<int[]> tokens = new ArrayList<>();
        Matcher m = pattern.matcher(header);
        while (m.find()) {
            tokens.add(new int[] {m.start(), m.end()});
        }
        int[] t = tokens.get(k % tokens.size());
        String changed = header.substring(0, t[0]) + literal + header.substring(t[1]);
        String description = header.substring(t[0], t[1]) + " at character " + t[0] + " of the header replaced by "
                + literal;
        return new Damage(description, bytes -> {
            byte[] json = changed.getBytes(StandardCharsets.UTF_8);
            int dataStart = 8 + header.getBytes(StandardCharsets.UTF_8).length;
            ByteBuffer out = ByteBuffer.allocate(8 + json.length + bytes.length - dataStart)
                    .order(ByteOrder.LITTLE_ENDIAN);
            out.putLong(json.length).put(json).put(bytes, dataStart, bytes.length - dataStart);
            return out.array();
        });
    }

    private static byte[] splice(byte[] bytes, int at, int remove, byte[] insert) {
        byte[] out = new byte[bytes.length - remove + insert.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(bytes, at + remove, out, at + insert.length, bytes.length - at - remove);
        return out;
    }

    private static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        try {
            ModelFile.write(file, tensors, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ModelFile.Contents read(Path file) {
        try {
            return ModelFile.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
