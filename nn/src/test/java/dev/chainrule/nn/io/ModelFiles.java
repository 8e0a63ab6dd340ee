package dev.chainrule.nn.io;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;

/** Files for the tests: a small model, and files built byte by byte, independently of {@link ModelFile}. */
final class ModelFiles {
    /** What every test model's metadata says. */
    static final Map<String, String> ARCHITECTURE = Map.of("architecture", "{\"layers\":[3,2,1]}");

    private ModelFiles() {}

    /** A 3-2-1 network's parameters, in their natural order. */
    static Map<String, Tensor> smallModel() {
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("layer1.W", Tensor.of(Shape.of(3, 2), 0.5, -1.25, 2.0, 0.0, -0.0, 1e-300));
        model.put("layer1.b", Tensor.vector(0.1, -0.2));
        model.put("layer2.W", Tensor.of(Shape.of(2, 1), Double.MIN_VALUE, -3.5));
        model.put("layer2.b", Tensor.vector(Double.NaN));
        return model;
    }

    /** The bytes of a file of the safetensors layout: the length of {@code header}, {@code header}, {@code data}. */
    static byte[] layout(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
        out.writeBytes(json);
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** Little-endian F64 bytes. */
    static byte[] f64(double... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            bytes.putDouble(v);
        }
        return bytes.array();
    }

    /** A header for {@link #layout}: chainrule's metadata (checksum 0s) and the given tensor entries. */
    static String header(String version, String... entries) {
        return "{\"__metadata__\":{\"chainrule.format\":\"chainrule-model\",\"chainrule.version\":\"" + version
                + "\",\"chainrule.crc32c\":\"00000000\"}" + Arrays.stream(entries).map(e -> "," + e)
                .collect(Collectors.joining()) + "}";
    }

    /**
     * The file with its checksum set as README describes it: CRC32C of every byte, the 8 digits taken as 0s. Built
     * here from the description, so that a test of a file made this way checks the description too.
     */
    static byte[] withChecksum(byte[] file) {
        byte[] key = "\"chainrule.crc32c\":\"".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(file, key) + key.length;
        byte[] copy = file.clone();
        Arrays.fill(copy, at, at + 8, (byte) '0');
        CRC32C crc = new CRC32C();
        crc.update(copy);
        System.arraycopy(String.format("%08x", crc.getValue()).getBytes(StandardCharsets.US_ASCII), 0, copy, at, 8);
        return copy;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found: " + new String(needle, StandardCharsets.UTF_8));
    }

    /**
     * Writes bytes over a file, then cuts it to their length. Thousands of times faster here than
     * {@link Files#write}, whose truncation to 0 makes ext4 flush the file at close (its replace-via-truncate
     * heuristic), and the same to the reader.
     */
    static void overwrite(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.truncate(bytes.length);
        }
    }

    /** The names in a folder, sorted. */
    static List<String> names(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /** Whether two maps hold the same tensors, in the same order, with the same bits (NaN payloads and −0 too). */
    static boolean bitIdentical(Map<String, Tensor> a, Map<String, Tensor> b) {
        if (!List.copyOf(a.keySet()).equals(List.copyOf(b.keySet()))) {
            return false;
        }
        for (String name : a.keySet()) {
            Tensor x = a.get(name);
            Tensor y = b.get(name);
            if (!x.shape().equals(y.shape()) || !Arrays.equals(rawBits(x), rawBits(y))) {
                return false;
            }
        }
        return true;
    }

    static long[] rawBits(Tensor t) {
        return Arrays.stream(t.toArray()).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
