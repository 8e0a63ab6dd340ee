package dev.chainrule.nn.io;

import static dev.chainrule.nn.io.ModelFiles.ARCHITECTURE;
import static dev.chainrule.nn.io.ModelFiles.f64;
import static dev.chainrule.nn.io.ModelFiles.header;
import static dev.chainrule.nn.io.ModelFiles.layout;
import static dev.chainrule.nn.io.ModelFiles.names;
import static dev.chainrule.nn.io.ModelFiles.smallModel;
import static dev.chainrule.nn.io.ModelFiles.withChecksum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layout byte by byte, what a save leaves in its folder, and each refusal with its message. */
class ModelFileTest {
    @TempDir
    Path folder;

    // ---- the layout -----------------------------------------------------------------------------------------------

    @Test
    void writesTheSafetensorsLayoutByteByByte() throws IOException {
        Path file = folder.resolve("m.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("W", Tensor.of(Shape.of(1, 2), 1.0, -2.0));
        tensors.put("b", Tensor.scalar(0.5));
        ModelFile.write(file, tensors, Map.of("architecture", "tiny"));

        String json = "{\"__metadata__\":{\"chainrule.format\":\"chainrule-model\",\"chainrule.version\":\"1\","
                + "\"chainrule.crc32c\":\"00000000\",\"architecture\":\"tiny\"},"
                + "\"W\":{\"dtype\":\"F64\",\"shape\":[1,2],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[16,24]}}";
        String padded = json + " ".repeat((8 - json.length() % 8) % 8); // 248 bytes: a multiple of 8
        byte[] expected = withChecksum(layout(padded, f64(1.0, -2.0, 0.5)));
        byte[] written = Files.readAllBytes(file);
        assertEquals(new String(expected, StandardCharsets.UTF_8), new String(written, StandardCharsets.UTF_8));
        assertArrayEquals(expected, written);
        assertEquals(248, ByteBuffer.wrap(written).order(ByteOrder.LITTLE_ENDIAN).getLong());
        // 1.0 is 0x3ff0000000000000, stored least significant byte first, right after the header.
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f}, java.util.Arrays.copyOfRange(written, 256,
                264));
    }

    @Test
    void aFileWrittenByHandFromTheDescriptionLoads() throws IOException {
        Path file = folder.resolve("hand.safetensors");
        Files.write(file, withChecksum(layout(header("1",
                "\"x\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}"), f64(3.0, 4.0))));
        ModelFile.Contents contents = ModelFile.read(file);
        assertEquals(Map.of("x", Tensor.vector(3.0, 4.0)), contents.tensors());
        assertEquals(Map.of(), contents.metadata());
    }

    @Test
    void roundTripKeepsOrderBitsAndMetadata() throws IOException {
        Path file = folder.resolve("m.safetensors");
        Map<String, String> metadata = new LinkedHashMap<>(ARCHITECTURE);
        metadata.put("trained", "2026-12-01, 30 epochs");
        ModelFile.write(file, smallModel(), metadata);
        ModelFile.Contents contents = ModelFile.read(file);
        assertTrue(ModelFiles.bitIdentical(smallModel(), contents.tensors()), contents::toString);
        assertEquals(List.copyOf(metadata.entrySet()), List.copyOf(contents.metadata().entrySet()));
        assertEquals(file, contents.file());
        assertEquals("Contents[" + file + ": layer1.W (3, 2); layer1.b (2); layer2.W (2, 1); layer2.b (1); metadata "
                + metadata + "]", contents.toString());
    }

    @Test
    void aModelWithoutTensorsRoundTrips() throws IOException {
        Path file = folder.resolve("empty.safetensors");
        ModelFile.write(file, Map.of(), Map.of());
        assertEquals(Map.of(), ModelFile.read(file).tensors());
    }

    // ---- atomic replacement ---------------------------------------------------------------------------------------

    @Test
    void savingReplacesTheFileAndLeavesNothingElse() throws IOException {
        Path file = folder.resolve("m.safetensors");
        ModelFile.write(file, Map.of("x", Tensor.vector(1)), Map.of());
        ModelFile.write(file, smallModel(), ARCHITECTURE);
        assertTrue(ModelFiles.bitIdentical(smallModel(), ModelFile.read(file).tensors()));
        assertEquals(List.of("m.safetensors"), names(folder));
    }

    @Test
    void aFailedSaveLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = folder.resolve("m.safetensors");
        ModelFile.write(file, smallModel(), ARCHITECTURE);
        byte[] before = Files.readAllBytes(file);
        IOException failure = assertThrows(IOException.class, () -> AtomicFiles.replace(file, channel -> {
            channel.write(ByteBuffer.wrap(new byte[1000]));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", failure.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("m.safetensors"), names(folder));
    }

    @Test
    void theNextSaveDeletesATemporaryFileThatAKilledSaveLeft() throws IOException {
        Path file = folder.resolve("m.safetensors");
        Path orphan = folder.resolve(".m.safetensors.0123456789abcdef.tmp");
        Files.write(orphan, new byte[100]);
        Path otherModels = folder.resolve(".n.safetensors.0123456789abcdef.tmp");
        Files.write(otherModels, new byte[100]);
        Path notOurs = folder.resolve(".m.safetensors.backup.tmp");
        Files.write(notOurs, new byte[100]);
        ModelFile.write(file, smallModel(), ARCHITECTURE);
        assertEquals(List.of(".m.safetensors.backup.tmp", ".n.safetensors.0123456789abcdef.tmp", "m.safetensors"),
                names(folder));
    }

    @Test
    void theNextSaveKeepsATemporaryFileThatASaveStillHolds() throws IOException {
        Path file = folder.resolve("m.safetensors");
        Path inProgress = folder.resolve(".m.safetensors.00000000000000ff.tmp");
        try (FileChannel channel = FileChannel.open(inProgress, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            ModelFile.write(file, smallModel(), ARCHITECTURE);
            assertTrue(lock.isValid());
            assertEquals(List.of(".m.safetensors.00000000000000ff.tmp", "m.safetensors"), names(folder));
        }
    }

    // ---- refusals: the header length ------------------------------------------------------------------------------

    @Test
    void aFileShorterThanTheSmallestHeaderIsRefused() throws IOException {
        assertRefused(new byte[0], 0, "the file has 0 bytes, but a model file has at least 10: an 8-byte header "
                + "length and a header of at least 2");
        assertRefused(new byte[9], 0, "the file has 9 bytes, but a model file has at least 10: an 8-byte header "
                + "length and a header of at least 2");
    }

    @Test
    void aHeaderLengthBeyondTheFileIsRefusedBeforeAnythingIsAllocated() throws IOException {
        byte[] file = layout("{}", new byte[0]);
        for (long claimed : new long[] {3, 1L << 40, Long.MAX_VALUE, -1}) {
            ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(0, claimed);
            assertRefused(file, 0, "the header length is " + Long.toUnsignedString(claimed)
                    + " bytes, but 2 bytes follow it");
        }
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1);
        assertRefused(file, 0, "the header length is 1 bytes, but 2 bytes follow it");
    }

    @Test
    void aHeaderLongerThanTheLimitIsRefused() throws IOException {
        Path path = folder.resolve("big.safetensors");
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 100_000_001));
            channel.write(ByteBuffer.wrap(new byte[] {'{'}), 100_000_008); // sparse: no 100 MB written
        }
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.read(path));
        assertEquals(path + " at byte 0: the header length is 100000001 bytes, more than the 100000000 that "
                + "chainrule (like the safetensors reference) accepts", e.getMessage());
    }

    // ---- refusals: the header -------------------------------------------------------------------------------------

    @Test
    void aHeaderThatIsNotAJsonObjectIsRefused() throws IOException {
        assertRefused(layout("[1,2]   ", new byte[0]), 8, "the header must start with '{', found byte 0x5b");
        assertRefused(layout("{\"a\":1", new byte[0]), 13,
                "the header is not valid JSON: End of input, at $.a");
        assertRefused(layout("{\"a\" 1}", new byte[0]), 13,
                "the header is not valid JSON: Expected ':', at $.a");
        assertRefused(layout("{} x", new byte[0]), 11, "the header is not valid JSON: Use JsonReader.setStrictness"
                + "(Strictness.LENIENT) to accept malformed JSON, at $");
        assertRefused(layout("{\"a\":NaN}", new byte[0]), 12, // Gson reports a bare word from before it
                "the header is not valid JSON: Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed "
                        + "JSON, at $.a");
    }

    @Test
    void aHeaderThatIsNotUtf8IsRefusedAtTheBadByte() throws IOException {
        byte[] file = layout("{\"a\u00e9\":1}", new byte[0]);
        file[12] = (byte) 0xff; // the second byte of é
        assertRefused(file, 11, "the header is not valid UTF-8");
    }

    @Test
    void wrongJsonTypesAreRefusedWithThePlaceAndTheTypes() throws IOException {
        assertRefusedAt(header("1", "\"x\":[]"), f64(), "[]", "tensor \"x\" must be an object, found an array");
        assertRefusedAt(header("1", "\"x\":{\"dtype\":64,\"shape\":[],\"data_offsets\":[0,8]}"), f64(1), "64",
                "tensor \"x\" dtype must be a string, found a number");
        assertRefusedAt(header("1", "\"x\":{\"dtype\":\"F64\",\"shape\":{},\"data_offsets\":[0,8]}"), f64(1), "{},",
                "tensor \"x\" shape must be an array, found an object");
        assertRefusedAt(header("1", "\"x\":{\"dtype\":\"F64\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}"), f64(1),
                "\"2\"", "tensor \"x\" shape element must be a number, found a string");
        assertRefusedAt(header("1", "\"x\":{\"dtype\":\"F64\",\"shape\":[true],\"data_offsets\":[0,8]}"), f64(1),
                "true", "tensor \"x\" shape element must be a number, found a boolean");
        assertRefusedAt(header("1", "\"x\":null"), f64(), "null", "tensor \"x\" must be an object, found null");
        assertRefused(layout("{\"__metadata__\":{\"a\":1}}", new byte[0]), 29,
                "__metadata__ value \"a\" must be a string, found a number");
        assertRefused(layout("{\"__metadata__\":[]}", new byte[0]), 24, "__metadata__ must be an object, found an "
                + "array");
    }

    @Test
    void numbersMustBeNonNegativeIntegersThatFit() throws IOException {
        for (String bad : new String[] {"-1", "1.0", "1e3", "-0"}) {
            assertRefusedAt(header("1", "\"x\":{\"dtype\":\"F64\",\"shape\":[" + bad + "],\"data_offsets\":[0,8]}"),
                    f64(1), bad + "]", "tensor \"x\" shape must hold non-negative integers, found " + bad);
        }
        assertRefusedAt(header("1", "\"x\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,9223372036854775808]}"),
                f64(1), "9223372036854775808", "tensor \"x\" data_offsets holds 9223372036854775808, more than 2^63 - 1");
        assertRefusedAt(header("1", "\"x\":{\"dtype\":\"F64\",\"shape\":[2147483648,0],\"data_offsets\":[0,0]}"),
                f64(), "\"x\"", "tensor \"x\" has a dimension of 2147483648, more than 2^31 - 1");
        assertRefusedAt(header("1", "\"x\":{\"dtype\":\"F64\",\"shape\":[65536,65536],\"data_offsets\":[0,8]}"),
                f64(1), "\"x\"", "tensor \"x\" of shape [65536, 65536] has more than 2^31 - 1 elements, more than a "
                + "chainrule tensor holds");
        assertRefusedAt(header("1", "\"x\":{\"dtype\":\"F64\",\"shape\":[" + "1,".repeat(64) + "7],"
                + "\"data_offsets\":[0,8]}"), f64(1), "7]", "tensor \"x\" shape has more than 64 numbers");
        assertRefusedAt(header("1", "\"x\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8,16]}"), f64(1), "16",
                "tensor \"x\" data_offsets has more than 2 numbers");
        assertRefusedAt(header("1", "\"x\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[8]}"), f64(1),
                "\"data_offsets\"", "tensor \"x\" data_offsets must be [begin, end], found 1 numbers");
    }

    @Test
    void tensorEntriesMustHaveExactlyTheirThreeFields() throws IOException {
        assertRefusedAt(header("1", "\"x\":{\"dtype\":\"F64\",\"shape\":[]}"), f64(1), "\"x\"",
                "tensor \"x\" lacks data_offsets: expected dtype, shape and data_offsets");
        assertRefusedAt(header("1", "\"x\":{\"dtype\":\"F64\",\"dtype\":\"F64\"}"), f64(1), "\"dtype\":\"F64\"}",
                "tensor \"x\" has the field \"dtype\" twice");
        assertRefusedAt(header("1", "\"x\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8],\"extra\":1}"),
                f64(1), "\"extra\"", "tensor \"x\" has an unknown field \"extra\": expected dtype, shape and data_offsets");
        assertRefusedAt(header("1", "\"x\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]}", "\"x\":{}"),
                f64(1), "\"x\":{}", "the header has the key \"x\" twice");
        assertRefusedAt(header("1", "\"__metadata__\":{}"), f64(), "\"__metadata__\":{}",
                "the header has the key \"__metadata__\" twice");
        assertRefused(layout("{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}", new byte[0]), 33,
                "__metadata__ has the key \"a\" twice");
    }

    @Test
    void onlyF64IsAccepted() throws IOException {
        assertRefusedAt(header("1", "\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}"), f64(1),
                "\"x\"", "tensor \"x\" has dtype F32: chainrule model files hold F64 (doubles) only");
    }

    @Test
    void byteRangesMustFitTheirShapeAndTileTheDataSectionExactly() throws IOException {
        String x = "\"x\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[%d,%d]}";
        String y = "\"y\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[%d,%d]}";
        assertRefusedAt(header("1", String.format(x, 0, 8)), f64(1), "\"x\"",
                "tensor \"x\" of shape [2] needs 16 bytes of F64, but data_offsets [0, 8] hold 8");
        assertRefusedAt(header("1", String.format(x, 8, 0)), f64(1), "\"x\"",
                "tensor \"x\" has data_offsets [8, 0], which end before they begin");
        assertRefusedAt(header("1", String.format(x, 0, 16)), f64(1), "\"x\"",
                "tensor \"x\" has data_offsets [0, 16], but the data section holds 8 bytes: the file is truncated, or"
                        + " its header is wrong");
        // Where the data section starts: after the 8-byte length and the header.
        String overlap = header("1", String.format(x, 0, 16), String.format(y, 8, 16));
        assertRefused(layout(overlap, f64(1, 2)), 8 + overlap.length() + 8,
                "tensors \"x\" and \"y\" overlap in the data section");
        String gap = header("1", String.format(x, 8, 24));
        assertRefused(layout(gap, f64(1, 2, 3)), 8 + gap.length(),
                "bytes [0, 8) of the data section belong to no tensor (safetensors forbids gaps)");
        String tail = header("1", String.format(x, 0, 16));
        assertRefused(layout(tail, f64(1, 2, 3)), 8 + tail.length() + 16,
                "bytes [16, 24) of the data section belong to no tensor (safetensors forbids gaps)");
    }

    // ---- refusals: chainrule's metadata ---------------------------------------------------------------------------

    @Test
    void aSafetensorsFileFromElsewhereIsRefusedAsNotOurs() throws IOException {
        assertRefused(layout("{\"x\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]}}", f64(1)), 8,
                "not a chainrule model file: the header has no __metadata__ (a safetensors file written by another "
                        + "program?)");
        assertRefused(layout("{\"__metadata__\":{\"format\":\"pt\"}}", new byte[0]), 9,
                "not a chainrule model file: __metadata__ has no chainrule.format");
        assertRefused(layout("{\"__metadata__\":{\"chainrule.format\":\"chainrule-optimizer\"}}", new byte[0]), 9,
                "not a chainrule model file: chainrule.format is \"chainrule-optimizer\", expected \"chainrule-model\"");
    }

    @Test
    void anotherVersionIsRefusedBeforeItsTensorsAreRead() throws IOException {
        // Version 2 might describe tensors differently: the version is what the message must be about.
        assertRefused(layout(header("2", "\"x\":{\"dtype\":\"F64\",\"quantized\":true}"), f64(1)), 9,
                "unsupported version 2: this chainrule reads version 1");
    }

    @Test
    void aChecksumThatIsMissingMalformedOrSpacedIsRefused() throws IOException {
        assertRefused(layout("{\"__metadata__\":{\"chainrule.format\":\"chainrule-model\",\"chainrule.version\":"
                + "\"1\"}}", new byte[0]), 9, "__metadata__ has no chainrule.crc32c");
        assertRefused(layout(header("1").replace("00000000", "0000000G"), new byte[0]), 9,
                "chainrule.crc32c must be 8 lowercase hex digits, found \"0000000G\"");
        assertRefused(layout(header("1").replace("\"chainrule.crc32c\":", "\"chainrule.crc32c\" : "),
                new byte[0]), 9, "chainrule.crc32c must be written as \"chainrule.crc32c\":\"<8 hex digits>\", "
                + "without spaces or escapes, as chainrule writes it");
        assertRefused(layout(header("1").replace("}", ",\"chainrule.epoch\":\"3\"}"), new byte[0]), 9,
                "__metadata__ has the key \"chainrule.epoch\", which version 1 does not define");
    }

    // ---- refusals: the checksum -----------------------------------------------------------------------------------

    @Test
    void oneFlippedBitInTheDataFailsTheChecksum() throws IOException {
        Path file = folder.resolve("m.safetensors");
        ModelFile.write(file, smallModel(), ARCHITECTURE);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x10;
        Files.write(file, bytes);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.read(file));
        assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(file.toString())
                + ": checksum mismatch: the file's CRC32C is [0-9a-f]{8} but its header records [0-9a-f]{8}: the file "
                + "is corrupt"), e.getMessage());
        assertEquals(OptionalLong.empty(), e.offset());
    }

    @Test
    void oneFlippedBitInTheArchitectureFailsTheChecksumToo() throws IOException {
        // The checksum covers the header as well: a changed architecture would otherwise load as another network.
        Path file = folder.resolve("m.safetensors");
        ModelFile.write(file, smallModel(), ARCHITECTURE);
        byte[] bytes = Files.readAllBytes(file);
        int three = ModelFiles.indexOf(bytes, "[3,2,1]".getBytes(StandardCharsets.US_ASCII)) + 1;
        bytes[three] ^= 0x01; // '3' → '2': still valid JSON, still a plausible architecture
        Files.write(file, bytes);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.read(file));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    @Test
    void everyTruncationAndEverySingleBitFlipIsRefused() throws IOException {
        Path file = folder.resolve("m.safetensors");
        ModelFile.write(file, smallModel(), ARCHITECTURE);
        byte[] valid = Files.readAllBytes(file);
        Path damaged = folder.resolve("damaged.safetensors");
        for (int length = 0; length < valid.length; length++) {
            ModelFiles.overwrite(damaged, java.util.Arrays.copyOf(valid, length));
            int cut = length;
            assertThrows(ModelFileException.class, () -> ModelFile.read(damaged), () -> "cut to " + cut);
        }
        for (int bit = 0; bit < valid.length * 8; bit++) {
            byte[] bytes = valid.clone();
            bytes[bit / 8] ^= (byte) (1 << (bit % 8));
            ModelFiles.overwrite(damaged, bytes);
            int flipped = bit;
            assertThrows(ModelFileException.class, () -> ModelFile.read(damaged), () -> "bit " + flipped);
        }
    }

    // ---- what a restored model requires ---------------------------------------------------------------------------

    @Test
    void requireMetadataRefusesAnotherArchitecture() throws IOException {
        Path file = folder.resolve("m.safetensors");
        ModelFile.write(file, smallModel(), ARCHITECTURE);
        ModelFile.Contents contents = ModelFile.read(file);
        assertEquals(contents, contents.requireMetadata("architecture", "{\"layers\":[3,2,1]}"));
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> contents.requireMetadata("architecture", "{\"layers\":[3,4,1]}"));
        assertEquals(file + ": \"architecture\" is \"{\"layers\":[3,2,1]}\" in the file, but \"{\"layers\":[3,4,1]}\" "
                + "was expected", e.getMessage());
        e = assertThrows(ModelFileException.class, () -> contents.requireMetadata("activation", "tanh"));
        assertEquals(file + ": the metadata has no \"activation\"; expected \"tanh\"", e.getMessage());
    }

    @Test
    void requireShapesListsEveryDifference() throws IOException {
        Path file = folder.resolve("m.safetensors");
        ModelFile.write(file, smallModel(), ARCHITECTURE);
        ModelFile.Contents contents = ModelFile.read(file);
        Map<String, Shape> model = new LinkedHashMap<>();
        smallModel().forEach((name, t) -> model.put(name, t.shape()));
        assertEquals(contents, contents.requireShapes(model));
        model.put("layer1.W", Shape.of(3, 4));
        model.remove("layer2.b");
        model.put("layer3.W", Shape.of(1, 1));
        ModelFileException e = assertThrows(ModelFileException.class, () -> contents.requireShapes(model));
        assertEquals(file + ": the tensors do not fit the model: \"layer1.W\" is (3, 2) in the file but (3, 4) was "
                + "expected; missing \"layer3.W\" (1, 1); unexpected \"layer2.b\" (1)", e.getMessage());
    }

    // ---- arguments ------------------------------------------------------------------------------------------------

    @Test
    void writeRefusesNamesAndKeysThatWouldNotRoundTrip() {
        Path file = folder.resolve("m.safetensors");
        Tensor one = Tensor.vector(1);
        assertEquals("ModelFile.write: no tensor may be named __metadata__, the key of the header's metadata",
                assertThrows(IllegalArgumentException.class,
                        () -> ModelFile.write(file, Map.of("__metadata__", one), Map.of())).getMessage());
        assertEquals("ModelFile.write: tensor name \"a\ud800\" is not valid Unicode (it holds a lone surrogate)",
                assertThrows(IllegalArgumentException.class,
                        () -> ModelFile.write(file, Map.of("a\ud800", one), Map.of())).getMessage());
        assertEquals("ModelFile.write: metadata key \"chainrule.version\" starts with chainrule., which is reserved "
                + "for chainrule's own keys", assertThrows(IllegalArgumentException.class,
                        () -> ModelFile.write(file, Map.of(), Map.of("chainrule.version", "2"))).getMessage());
        assertEquals("ModelFile.write: metadata \"a\" is not valid Unicode (it holds a lone surrogate)",
                assertThrows(IllegalArgumentException.class,
                        () -> ModelFile.write(file, Map.of(), Map.of("a", "\udc00"))).getMessage());
        Map<String, Tensor> withNull = new LinkedHashMap<>();
        withNull.put("x", null);
        assertEquals("ModelFile.write: tensor \"x\" is null", assertThrows(IllegalArgumentException.class,
                () -> ModelFile.write(file, withNull, Map.of())).getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void nullArgumentsAreNamed() {
        Path file = folder.resolve("m.safetensors");
        assertEquals("ModelFile.write: file is null", assertThrows(NullPointerException.class,
                () -> ModelFile.write(null, Map.of(), Map.of())).getMessage());
        assertEquals("ModelFile.write: tensors is null", assertThrows(NullPointerException.class,
                () -> ModelFile.write(file, null, Map.of())).getMessage());
        assertEquals("ModelFile.write: metadata is null", assertThrows(NullPointerException.class,
                () -> ModelFile.write(file, Map.of(), null)).getMessage());
        assertEquals("ModelFile.read: file is null", assertThrows(NullPointerException.class,
                () -> ModelFile.read(null)).getMessage());
    }

    @Test
    void aMissingFileIsAnIoErrorOfItsOwnKind() {
        assertThrows(NoSuchFileException.class, () -> ModelFile.read(folder.resolve("none.safetensors")));
    }

    @Test
    void theExceptionCarriesTheFileAndTheOffset() {
        ModelFileException e = new ModelFileException(Path.of("m.safetensors"), 42, "broken");
        assertEquals("m.safetensors at byte 42: broken", e.getMessage());
        assertEquals(Path.of("m.safetensors"), e.file());
        assertEquals(OptionalLong.of(42), e.offset());
        assertEquals(OptionalLong.empty(), new ModelFileException(Path.of("m"), "broken").offset());
    }

    /** Refused at the first byte of {@code at} in the header, with this problem. */
    private void assertRefusedAt(String header, byte[] data, String at, String problem) throws IOException {
        int index = header.indexOf(at);
        assertTrue(index >= 0, at);
        assertRefused(layout(header, data), 8 + header.substring(0, index).getBytes(StandardCharsets.UTF_8).length,
                problem);
    }

    private void assertRefused(byte[] bytes, long offset, String problem) throws IOException {
        Path file = folder.resolve("refused.safetensors");
        Files.write(file, bytes);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.read(file));
        assertEquals(file + " at byte " + offset + ": " + problem, e.getMessage());
        assertEquals(OptionalLong.of(offset), e.offset());
    }
}
