package dev.chainrule.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file reads in Python: the loader below (README's, standard library only) gets every value bit for bit,
 * after checking the file by the rules of the safetensors reference reader. Skipped where there is no python3.
 */
class PythonInteropTest {
    /** README's loader, then the reference reader's checks, then each tensor's raw bits, one JSON line each. */
    static final String SCRIPT = """
            import json, struct, sys

            def load(path):
                \"""Reads a chainrule model file: ({name: (shape, [floats])}, metadata).\"""
                with open(path, "rb") as f:
                    raw = f.read()
                (n,) = struct.unpack("<Q", raw[:8])              # header length, little-endian
                header = json.loads(raw[8:8 + n].decode("utf-8"))
                metadata = header.pop("__metadata__", {})
                data = raw[8 + n:]
                tensors = {}
                for name, t in header.items():
                    begin, end = t["data_offsets"]                 # relative to the data section
                    values = struct.unpack("<%dd" % ((end - begin) // 8), data[begin:end])
                    tensors[name] = (t["shape"], list(values))
                return tensors, metadata

            # The safetensors reference reader's rules (safetensors/src/tensor.rs), checked independently.
            path = sys.argv[1]
            raw = open(path, "rb").read()
            (n,) = struct.unpack("<Q", raw[:8])
            assert n <= 100_000_000 and 8 + n <= len(raw), "header length"
            assert n % 8 == 0, "header padded to a multiple of 8, as the reference writer does"
            text = raw[8:8 + n].decode("utf-8")
            assert text.startswith("{"), "header starts with {"
            pairs = json.loads(text, object_pairs_hook=lambda kv: kv)
            assert len({k for k, _ in pairs}) == len(pairs), "no duplicate keys"
            entries = [(k, dict(v)) for k, v in pairs if k != "__metadata__"]
            for k, v in pairs:
                if k == "__metadata__":
                    assert all(isinstance(x, str) for _, x in v), "metadata: strings only"
            start = 0
            for name, t in sorted(entries, key=lambda e: tuple(e[1]["data_offsets"])):
                begin, end = t["data_offsets"]
                assert t["dtype"] == "F64" and begin == start and end >= begin, name
                count = 1
                for d in t["shape"]:
                    count *= d
                assert end - begin == 8 * count, name
                start = end
            assert 8 + n + start == len(raw), "the data section is covered exactly"

            tensors, metadata = load(path)
            print(json.dumps({"metadata": metadata}))
            for name, (shape, values) in tensors.items():
                bits = [struct.unpack("<Q", struct.pack("<d", v))[0] for v in values]
                print(json.dumps({"name": name, "shape": shape, "bits": [format(b, "016x") for b in bits]}))
            """;

    @TempDir
    Path folder;

    @Test
    void pythonReadsEveryValueBitForBit() throws IOException, InterruptedException {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "no /usr/bin/python3 here");
        Map<String, Tensor> model = new LinkedHashMap<>(ModelFiles.smallModel());
        model.put("special \"names\" \u00e9\u4e2d\ud83d\ude00", Tensor.of(Shape.of(2, 2, 2), Double.NaN,
                Double.longBitsToDouble(0xfff8000000000123L), -0.0, Double.MIN_VALUE, Double.MAX_VALUE,
                Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Math.PI));
        model.put("empty", Tensor.zeros(0, 3));
        Path file = folder.resolve("model.safetensors");
        ModelFile.write(file, model, ModelFiles.ARCHITECTURE);
        Path script = folder.resolve("load.py");
        Files.writeString(script, SCRIPT);

        Process process = new ProcessBuilder(python.toString(), script.toString(), file.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, process.waitFor(30, TimeUnit.SECONDS), output);
        assertEquals(0, process.exitValue(), output);

        List<String> lines = output.lines().toList();
        JsonObject metadata = JsonParser.parseString(lines.get(0)).getAsJsonObject().getAsJsonObject("metadata");
        assertEquals(ModelFiles.ARCHITECTURE.get("architecture"), metadata.get("architecture").getAsString());
        assertEquals(ModelFile.FORMAT, metadata.get(ModelFile.FORMAT_KEY).getAsString());
        List<String> names = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            JsonObject tensor = JsonParser.parseString(line).getAsJsonObject();
            String name = tensor.get("name").getAsString();
            names.add(name);
            Tensor expected = model.get(name);
            assertEquals(Arrays.toString(expected.shape().dims()), ints(tensor.getAsJsonArray("shape")), name);
            List<String> bits = new ArrayList<>();
            for (JsonElement b : tensor.getAsJsonArray("bits")) {
                bits.add(b.getAsString());
            }
            assertEquals(Arrays.stream(ModelFiles.rawBits(expected)).mapToObj(b -> String.format("%016x", b)).toList(),
                    bits, name);
        }
        assertEquals(List.copyOf(model.keySet()), names);
    }

    private static String ints(JsonArray array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(e -> values.add(e.getAsInt()));
        return values.toString();
    }
}
