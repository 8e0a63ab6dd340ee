package dev.chainrule.nn.io;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import dev.chainrule.core.Shape;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JSON header of a safetensors file: each tensor's dtype, shape and byte range in the data section, and the
 * string-to-string metadata under {@code __metadata__}. This class knows the safetensors rules and nothing of
 * chainrule's own metadata keys (those are {@link ModelFile}'s).
 *
 * <p>Parsing trusts nothing: every field's JSON type is checked before it is read, every number is checked for
 * overflow and against the size of the data section, and the byte ranges must tile the data section exactly,
 * without gaps or overlaps (the safetensors rule that forbids polyglot files). Every problem is a
 * {@link ModelFileException} naming the byte of the file where it lies.
 */
final class Header {
    /** The key of the string-to-string metadata object. */
    static final String METADATA_KEY = "__metadata__";
    /** The one dtype that chainrule writes and reads: IEEE 754 binary64, little-endian. */
    static final String DTYPE = "F64";
    /** Where the header starts in the file: after its 8-byte length. */
    static final int START = Long.BYTES;
    /**
     * More dimensions than tensor libraries allow (NumPy 2 allows 64). It bounds what a hostile header can make
     * the reader hold, and refuses nothing that a real model contains.
     */
    static final int MAX_RANK = 64;

    private static final Pattern NON_NEGATIVE_INTEGER = Pattern.compile("0|[1-9][0-9]*");
    private static final Pattern GSON_POSITION = Pattern.compile(" at line \\d+ column \\d+ path \\S*");

    /**
     * One tensor of the file.
     *
     * @param name its name, the key in the header
     * @param shape its shape
     * @param begin the offset of its first byte in the data section
     * @param end the offset one past its last byte in the data section
     */
    record Entry(String name, Shape shape, long begin, long end) {}

    private Header() {}

    // ---- writing ------------------------------------------------------------------------------------------------

    /**
     * The header's bytes: compact JSON, {@code __metadata__} first, then the tensors in the given order, padded with
     * spaces to a multiple of 8 bytes so that the data section (and every F64 in it) is 8-byte aligned, as the
     * safetensors reference writer does.
     *
     * @param entries the tensors, whose names the caller has checked are valid Unicode and not {@code __metadata__}
     * @param metadata the metadata, whose strings the caller has checked are valid Unicode
     * @return UTF-8 bytes, a multiple of 8 in length
     */
    static byte[] encode(List<Entry> entries, Map<String, String> metadata) {
        StringWriter text = new StringWriter();
        try (JsonWriter json = new JsonWriter(text)) {
            json.beginObject();
            json.name(METADATA_KEY).beginObject();
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                json.name(m.getKey()).value(m.getValue());
            }
            json.endObject();
            for (Entry e : entries) {
                json.name(e.name()).beginObject();
                json.name("dtype").value(DTYPE);
                json.name("shape").beginArray();
                for (int d : e.shape().dims()) {
                    json.value(d);
                }
                json.endArray();
                json.name("data_offsets").beginArray().value(e.begin()).value(e.end()).endArray();
                json.endObject();
            }
            json.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(bytes, (bytes.length + 7) / 8 * 8);
        Arrays.fill(padded, bytes.length, padded.length, (byte) ' ');
        return padded;
    }

    /**
     * Whether a string survives UTF-8 encoding unchanged: false for one holding a lone surrogate.
     *
     * @param s the string
     * @return true if it is valid Unicode
     */
    static boolean isValidUnicode(String s) {
        try {
            StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    /**
     * Starts reading a header: checks that it opens with '{' and is valid UTF-8. The metadata and the tensor entries
     * are then read in two passes, so that the caller can check the format and version before the entries, which
     * another version may lay out differently.
     *
     * @param file the file, for messages
     * @param bytes the header's bytes, as many as the file's 8-byte length says, at least 1
     * @return a parser of these bytes
     * @throws ModelFileException if the header does not start with '{' or is not valid UTF-8
     */
    static Parser parser(Path file, byte[] bytes) throws ModelFileException {
        return new Parser(file, bytes);
    }

    /** The two passes over one header, and the file and text for messages and offsets. */
    static final class Parser {
        private final Path file;
        private final String text;
        private final long dataStart;
        private long metadataOffset = START;

        private Parser(Path file, byte[] bytes) throws ModelFileException {
            this.file = file;
            this.dataStart = START + (long) bytes.length;
            if (bytes[0] != '{') {
                throw new ModelFileException(file, START,
                        String.format("the header must start with '{', found byte 0x%02x", bytes[0] & 0xff));
            }
            this.text = decodeUtf8(bytes);
        }

        private String decodeUtf8(byte[] bytes) throws ModelFileException {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer in = ByteBuffer.wrap(bytes);
            CharBuffer out = CharBuffer.allocate(bytes.length);
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw new ModelFileException(file, START + in.position(), "the header is not valid UTF-8");
            }
            return out.flip().toString();
        }

        /**
         * The first pass: the header must be one JSON object, and its {@code __metadata__}, if any, an object of
         * strings. Tensor entries are skipped.
         *
         * @return the metadata in header order, or null if the header has no {@code __metadata__}
         * @throws ModelFileException if the header is not one JSON object, or its metadata is not an object of
         *     strings with distinct keys
         */
        Map<String, String> metadata() throws ModelFileException {
            JsonReader json = reader();
            try {
                expect(json, JsonToken.BEGIN_OBJECT, "the header");
                json.beginObject();
                Map<String, String> metadata = null;
                while (json.hasNext()) {
                    long offset = nameStart(json);
                    String key = json.nextName();
                    if (key.equals(METADATA_KEY) && metadata == null) {
                        metadataOffset = fileOffset(offset);
                        metadata = readStringMap(json);
                    } else {
                        json.skipValue(); // a duplicate __metadata__ is refused by the second pass
                    }
                }
                json.endObject();
                if (json.peek() != JsonToken.END_DOCUMENT) {
                    throw fail(json.getCharacterOffset() - 1, "the header has more after its JSON object");
                }
                return metadata == null ? null : Collections.unmodifiableMap(metadata);
            } catch (IOException e) {
                throw syntax(json, e);
            }
        }

        /**
         * The file offset of {@code __metadata__}, for messages about it.
         *
         * @return the offset of its key once {@link #metadata()} has found it, else that of the header
         */
        long metadataOffset() {
            return metadataOffset;
        }

        /**
         * The second pass: the tensor entries, each checked against the data section.
         *
         * @param dataSize the number of bytes after the header, which the byte ranges must tile exactly
         * @return the tensors in header order
         * @throws ModelFileException if a key appears twice, an entry lacks a field or has one of the wrong type or
         *     an unknown one, a dtype is not F64, a number is not a non-negative integer, a range does not fit its
         *     shape, or the ranges do not tile the data section
         */
        List<Entry> entries(long dataSize) throws ModelFileException {
            JsonReader json = reader();
            try {
                List<RawEntry> raw = new ArrayList<>();
                Set<String> keys = new HashSet<>();
                json.beginObject();
                while (json.hasNext()) {
                    long offset = nameStart(json);
                    String key = json.nextName();
                    if (!keys.add(key)) {
                        throw fail(offset, "the header has the key \"%s\" twice", abbreviate(key));
                    }
                    if (key.equals(METADATA_KEY)) {
                        json.skipValue();
                    } else {
                        raw.add(readEntry(json, key, offset));
                    }
                }
                json.endObject();
                return checkRanges(raw, dataSize);
            } catch (IOException e) {
                throw syntax(json, e);
            }
        }

        /** Gson's syntax errors (MalformedJsonException, EOFException) as ours; ours pass through. */
        private ModelFileException syntax(JsonReader json, IOException e) {
            if (e instanceof ModelFileException) {
                return (ModelFileException) e;
            }
            String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            String message = GSON_POSITION.matcher(first).replaceAll("");
            // Gson has consumed the character it complains about.
            return fail(Math.max(0, json.getCharacterOffset() - 1), "the header is not valid JSON: %s, at %s",
                    message, abbreviate(json.getPath(), 100));
        }

        /** The character offset of the name that {@link JsonReader#hasNext()} has just peeked: its opening quote. */
        private static long nameStart(JsonReader json) {
            return json.getCharacterOffset() - 1;
        }

        private JsonReader reader() {
            JsonReader json = new JsonReader(new StringReader(text));
            json.setStrictness(Strictness.STRICT);
            return json;
        }

        private Map<String, String> readStringMap(JsonReader json) throws IOException {
            expect(json, JsonToken.BEGIN_OBJECT, METADATA_KEY);
            Map<String, String> map = new LinkedHashMap<>();
            json.beginObject();
            while (json.hasNext()) {
                long offset = nameStart(json);
                String key = json.nextName();
                if (map.containsKey(key)) {
                    throw fail(offset, "%s has the key \"%s\" twice", METADATA_KEY, abbreviate(key));
                }
                expect(json, JsonToken.STRING, METADATA_KEY + " value \"" + abbreviate(key) + "\"");
                map.put(key, json.nextString());
            }
            json.endObject();
            return map;
        }

        private RawEntry readEntry(JsonReader json, String name, long offset) throws IOException {
            String what = "tensor \"" + abbreviate(name) + "\"";
            expect(json, JsonToken.BEGIN_OBJECT, what);
            String dtype = null;
            long[] shape = null;
            long[] range = null;
            json.beginObject();
            while (json.hasNext()) {
                long fieldOffset = nameStart(json);
                String field = json.nextName();
                switch (field) {
                    case "dtype" -> {
                        checkOnce(dtype, fieldOffset, what, field);
                        expect(json, JsonToken.STRING, what + " dtype");
                        dtype = json.nextString();
                    }
                    case "shape" -> {
                        checkOnce(shape, fieldOffset, what, field);
                        shape = readIntegers(json, what + " shape", MAX_RANK);
                    }
                    case "data_offsets" -> {
                        checkOnce(range, fieldOffset, what, field);
                        range = readIntegers(json, what + " data_offsets", 2);
                        if (range.length != 2) {
                            throw fail(fieldOffset, "%s data_offsets must be [begin, end], found %d numbers", what,
                                    range.length);
                        }
                    }
                    default -> throw fail(fieldOffset,
                            "%s has an unknown field \"%s\": expected dtype, shape and data_offsets", what,
                            abbreviate(field));
                }
            }
            json.endObject();
            if (dtype == null || shape == null || range == null) {
                throw fail(offset, "%s lacks %s: expected dtype, shape and data_offsets", what,
                        dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets");
            }
            return new RawEntry(name, dtype, shape, range[0], range[1], offset);
        }

        private void checkOnce(Object seen, long offset, String what, String field) throws ModelFileException {
            if (seen != null) {
                throw fail(offset, "%s has the field \"%s\" twice", what, field);
            }
        }

        /** A JSON array of at most {@code max} non-negative integers, refused as soon as it grows past that. */
        private long[] readIntegers(JsonReader json, String what, int max) throws IOException {
            expect(json, JsonToken.BEGIN_ARRAY, what);
            long[] values = new long[max];
            int count = 0;
            json.beginArray();
            while (json.hasNext()) {
                if (count == max) {
                    throw fail(valueStart(json, json.peek()), "%s has more than %d numbers", what, max);
                }
                expect(json, JsonToken.NUMBER, what + " element");
                String literal = json.nextString();
                long offset = json.getCharacterOffset() - literal.length();
                if (!NON_NEGATIVE_INTEGER.matcher(literal).matches()) {
                    throw fail(offset, "%s must hold non-negative integers, found %s", what, abbreviate(literal));
                }
                try {
                    values[count++] = Long.parseLong(literal);
                } catch (NumberFormatException e) {
                    throw fail(offset, "%s holds %s, more than 2^63 - 1", what, abbreviate(literal));
                }
            }
            json.endArray();
            return Arrays.copyOf(values, count);
        }

        private void expect(JsonReader json, JsonToken token, String what) throws IOException {
            JsonToken found = json.peek();
            if (found != token) {
                throw fail(valueStart(json, found), "%s must be %s, found %s", what, describe(token),
                        describe(found));
            }
        }

        /**
         * The character offset where the token that {@code peek()} has just returned starts. Gson's offset then lies
         * past the token's first character, or past the whole of a number or keyword, which this consumes to
         * measure: call it only on the way to an error.
         */
        private static long valueStart(JsonReader json, JsonToken peeked) throws IOException {
            long offset = json.getCharacterOffset();
            return switch (peeked) {
                case NUMBER -> offset - json.nextString().length();
                case BOOLEAN -> offset - (json.nextBoolean() ? "true" : "false").length();
                case NULL -> offset - "null".length();
                case END_DOCUMENT -> offset;
                default -> offset - 1; // an opening or closing bracket or brace, or a string's opening quote
            };
        }

        /** Checks each entry's dtype and size, then that the ranges tile the data section: [0, dataSize) exactly. */
        private List<Entry> checkRanges(List<RawEntry> raw, long dataSize) throws ModelFileException {
            List<Entry> entries = new ArrayList<>(raw.size());
            for (RawEntry r : raw) {
                String what = "tensor \"" + abbreviate(r.name) + "\"";
                if (!r.dtype.equals(DTYPE)) {
                    throw fail(r.offset, "%s has dtype %s: chainrule model files hold %s (doubles) only", what,
                            abbreviate(r.dtype), DTYPE);
                }
                long elements = elements(r, what);
                long bytes = elements * Double.BYTES; // at most (2^31 − 1) · 8: no overflow
                if (r.begin > r.end) {
                    throw fail(r.offset, "%s has data_offsets [%d, %d], which end before they begin", what, r.begin,
                            r.end);
                }
                if (r.end > dataSize) {
                    throw fail(r.offset, "%s has data_offsets [%d, %d], but the data section holds %d bytes: the file"
                            + " is truncated, or its header is wrong", what, r.begin, r.end, dataSize);
                }
                if (r.end - r.begin != bytes) {
                    throw fail(r.offset, "%s of shape %s needs %d bytes of %s, but data_offsets [%d, %d] hold %d", what,
                            Arrays.toString(r.shape), bytes, DTYPE, r.begin, r.end, r.end - r.begin);
                }
                int[] dims = new int[r.shape.length];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = (int) r.shape[i]; // elements() checked each against Integer.MAX_VALUE
                }
                entries.add(new Entry(r.name, Shape.of(dims), r.begin, r.end));
            }
            List<Entry> byOffset = new ArrayList<>(entries);
            byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
            long next = 0;
            String previous = null;
            for (Entry e : byOffset) {
                if (e.begin() < next) {
                    throw new ModelFileException(file, dataStart + e.begin(), String.format(
                            "tensors \"%s\" and \"%s\" overlap in the data section", abbreviate(previous),
                            abbreviate(e.name())));
                }
                if (e.begin() > next) {
                    throw gap(next, e.begin());
                }
                next = e.end();
                previous = e.name();
            }
            if (next != dataSize) {
                throw gap(next, dataSize);
            }
            return Collections.unmodifiableList(entries);
        }

        private ModelFileException gap(long begin, long end) {
            return new ModelFileException(file, dataStart + begin, String.format("bytes [%d, %d) of the data "
                    + "section belong to no tensor (safetensors forbids gaps)", begin, end));
        }

        private long elements(RawEntry r, String what) throws ModelFileException {
            long elements = 1;
            for (long d : r.shape) {
                if (d > Integer.MAX_VALUE) {
                    throw fail(r.offset, "%s has a dimension of %d, more than 2^31 - 1", what, d);
                }
                elements = d == 0 || elements == 0 ? 0 : elements * d;
                if (elements > Integer.MAX_VALUE) { // checked at each step, so the product never overflows a long
                    throw fail(r.offset, "%s of shape %s has more than 2^31 - 1 elements, more than a chainrule "
                            + "tensor holds", what, Arrays.toString(r.shape));
                }
            }
            return elements;
        }

        /** An exception at a character of the header (−1: none), reported as a byte offset in the file. */
        private ModelFileException fail(long charOffset, String format, Object... args) {
            long offset = charOffset < 0 ? -1 : fileOffset(charOffset);
            return new ModelFileException(file, offset, String.format(format, args));
        }

        /** The file offset of a character of the header: 8 plus the UTF-8 length of the text before it. */
        private long fileOffset(long charOffset) {
            int end = (int) Math.min(charOffset, text.length());
            long bytes = 0;
            for (int i = 0; i < end; i++) {
                char c = text.charAt(i);
                bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3; // a pair: 4 bytes
            }
            return START + bytes;
        }
    }

    /** An entry as the header states it, before its numbers are checked. */
    private record RawEntry(String name, String dtype, long[] shape, long begin, long end, long offset) {}

    private static String describe(JsonToken token) {
        return switch (token) {
            case BEGIN_OBJECT -> "an object";
            case BEGIN_ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case NAME -> "a key";
            case END_ARRAY -> "the end of an array";
            case END_OBJECT -> "the end of an object";
            case END_DOCUMENT -> "the end of the header";
        };
    }

    /** A string from the file, fit for a one-line message: control characters escaped, cut to 40 characters. */
    static String abbreviate(String s) {
        return abbreviate(s, 40);
    }

    /** A string from the file, control characters escaped, cut to at most {@code max} characters. */
    static String abbreviate(String s, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && i < max; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return s.length() <= max ? out.toString() : out + "... (" + s.length() + " characters)";
    }
}
