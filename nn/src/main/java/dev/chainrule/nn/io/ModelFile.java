package dev.chainrule.nn.io;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;

/**
 * A model's tensors and metadata in one file, in the safetensors format: an 8-byte little-endian header length N,
 * N bytes of JSON naming each tensor's dtype, shape and byte range, then the tensors' raw little-endian bytes. The
 * format loads in Python with Hugging Face's {@code safetensors} package, and loading it runs no code.
 *
 * <p>chainrule writes every tensor as F64 (doubles, bit for bit, NaN payloads included), in the order given, and
 * puts three keys of its own in the header's {@code __metadata__}: {@value #FORMAT_KEY} ({@value #FORMAT}),
 * {@value #VERSION_KEY} ({@value #VERSION}) and {@value #CHECKSUM_KEY}, a CRC32C of the whole file, so that any
 * changed or lost byte is found, in the header as in the data. The caller's own metadata (for instance the
 * architecture, as text) sits beside them.
 *
 * <p>{@link #write} replaces the file atomically: a reader, or a crash at any moment, sees the old file or the
 * complete new one, never a mixture. {@link #read} checks every length and offset against the file's size before
 * it allocates anything, and either returns everything or throws one {@link ModelFileException}: it never returns
 * part of a file. The class is stateless and safe to use from several threads; concurrent saves to one file each
 * either complete or fail, and the file holds one complete model.
 */
public final class ModelFile {
    /** The value of {@value #FORMAT_KEY} in every chainrule model file. */
    public static final String FORMAT = "chainrule-model";
    /** The version of the layout that this chainrule writes, and the only one it reads. */
    public static final int VERSION = 1;
    /** The metadata key that names the format. */
    public static final String FORMAT_KEY = "chainrule.format";
    /** The metadata key that holds the layout's version, as a decimal string. */
    public static final String VERSION_KEY = "chainrule.version";
    /**
     * The metadata key that holds the CRC32C (Castagnoli) of the whole file as 8 lowercase hex digits, computed
     * with those 8 digits taken as {@code 00000000}.
     */
    public static final String CHECKSUM_KEY = "chainrule.crc32c";
    /** Metadata keys that start with this are chainrule's own: a caller cannot set them. */
    public static final String RESERVED_PREFIX = "chainrule.";
    /** The largest header that {@link #read} accepts, in bytes: 100 MB, the safetensors reference reader's limit. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String VERSION_TEXT = Integer.toString(VERSION);
    private static final String CHECKSUM_PLACEHOLDER = "00000000";
    private static final Pattern CHECKSUM_DIGITS = Pattern.compile("[0-9a-f]{8}");
    /** How the checksum's key and the opening quote of its value appear in the header's bytes. */
    private static final byte[] CHECKSUM_JSON = ("\"" + CHECKSUM_KEY + "\":\"").getBytes(StandardCharsets.US_ASCII);
    /** Bytes converted at a time between doubles and the file: a bound on memory beyond the tensors themselves. */
    private static final int CHUNK_BYTES = 1 << 20;

    private ModelFile() {}

    /**
     * Saves tensors and metadata to a file, replacing it atomically: the file holds either what it held before or
     * the complete new content, even if the process is killed or the machine loses power during the save (once
     * this returns, the new content is on disk). The content goes first to a temporary file in the same folder,
     * {@code .<name>.<16 hex digits>.tmp}, that is forced to disk and renamed over the target. A save killed
     * outright leaves that temporary file behind; the next save to the same target deletes it.
     *
     * @param file the file to write; its folder must exist. The conventional extension is {@code .safetensors}
     * @param tensors the tensors by name, written in the map's iteration order (use a {@link LinkedHashMap} to
     *     choose it); not null, and neither a name nor a tensor may be null. A name may be any valid Unicode
     *     string except {@code __metadata__}; the map is only read
     * @param metadata the caller's metadata, such as the architecture as text, written in the map's iteration
     *     order; keys and values must be non-null valid Unicode, and no key may start with
     *     {@value #RESERVED_PREFIX}; the map is only read
     * @throws IllegalArgumentException if a name, key or value is refused, or the header would exceed
     *     {@link #MAX_HEADER_BYTES}
     * @throws IOException if the file cannot be written; it then holds what it held before
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        checkNotNull(file, "ModelFile.write: file is null");
        checkNotNull(tensors, "ModelFile.write: tensors is null");
        checkNotNull(metadata, "ModelFile.write: metadata is null");
        List<Header.Entry> entries = new ArrayList<>(tensors.size());
        List<Tensor> values = new ArrayList<>(tensors.size());
        long offset = 0;
        for (Map.Entry<String, Tensor> t : tensors.entrySet()) {
            String name = t.getKey();
            checkArgument(name != null, "ModelFile.write: a tensor's name is null");
            checkArgument(t.getValue() != null, "ModelFile.write: tensor \"%s\" is null", name);
            checkArgument(!name.equals(Header.METADATA_KEY),
                    "ModelFile.write: no tensor may be named %s, the key of the header's metadata", name);
            checkArgument(Header.isValidUnicode(name),
                    "ModelFile.write: tensor name \"%s\" is not valid Unicode (it holds a lone surrogate)", name);
            long end = offset + (long) t.getValue().size() * Double.BYTES;
            entries.add(new Header.Entry(name, t.getValue().shape(), offset, end));
            values.add(t.getValue());
            offset = end;
        }
        Map<String, String> allMetadata = new LinkedHashMap<>();
        allMetadata.put(FORMAT_KEY, FORMAT);
        allMetadata.put(VERSION_KEY, VERSION_TEXT);
        allMetadata.put(CHECKSUM_KEY, CHECKSUM_PLACEHOLDER);
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            String key = m.getKey();
            checkArgument(key != null, "ModelFile.write: a metadata key is null");
            checkArgument(m.getValue() != null, "ModelFile.write: the value of metadata key \"%s\" is null", key);
            checkArgument(!key.startsWith(RESERVED_PREFIX),
                    "ModelFile.write: metadata key \"%s\" starts with %s, which is reserved for chainrule's own keys",
                    key, RESERVED_PREFIX);
            checkArgument(Header.isValidUnicode(key) && Header.isValidUnicode(m.getValue()),
                    "ModelFile.write: metadata \"%s\" is not valid Unicode (it holds a lone surrogate)", key);
            allMetadata.put(key, m.getValue());
        }
        byte[] header = Header.encode(entries, allMetadata);
        checkArgument(header.length <= MAX_HEADER_BYTES,
                "ModelFile.write: the header would take %s bytes, more than the %s that readers accept", header.length,
                MAX_HEADER_BYTES);
        ByteBuffer length = ByteBuffer.allocate(Header.START).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);

        // The checksum covers the file with its own digits as 0s: one pass to compute it, one to write.
        CRC32C crc = new CRC32C();
        crc.update(length.array());
        crc.update(header);
        int chunkBytes = (int) Math.max(Double.BYTES, Math.min(CHUNK_BYTES, offset));
        forEachChunk(values, chunkBytes, crc::update);
        byte[] digits = String.format("%08x", crc.getValue()).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, header, checksumDigitsAt(header), digits.length);

        AtomicFiles.replace(file, channel -> {
            writeFully(channel, length.duplicate());
            writeFully(channel, ByteBuffer.wrap(header));
            forEachChunk(values, chunkBytes, chunk -> writeFully(channel, chunk));
        });
    }

    /**
     * Loads a file that {@link #write} saved. The whole file is checked before anything is returned: the header
     * length against the file's size and {@link #MAX_HEADER_BYTES}, the header as UTF-8 JSON in the safetensors
     * layout, the format and version, every tensor's dtype (F64), shape and byte range against the data section
     * (the ranges must tile it exactly), and the checksum.
     *
     * @param file the file to read
     * @return its tensors in header order and the caller's metadata (without chainrule's own keys)
     * @throws ModelFileException if the file is not a complete, intact chainrule model file of this version: too
     *     short, truncated, corrupt (the checksum differs), of another format or version, or not safetensors. The
     *     message names the file, the byte offset where one applies, what was expected and what was found
     * @throws IOException of another type if the file cannot be read at all, e.g. {@link
     *     java.nio.file.NoSuchFileException}
     */
    public static Contents read(Path file) throws IOException {
        checkNotNull(file, "ModelFile.read: file is null");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < Header.START + 2) {
                throw new ModelFileException(file, 0, String.format("the file has %d bytes, but a model file has "
                        + "at least 10: an 8-byte header length and a header of at least 2", size));
            }
            ByteBuffer length = ByteBuffer.allocate(Header.START).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, 0, length, file);
            long headerLength = length.getLong(0);
            long after = size - Header.START;
            if (headerLength < 2 || headerLength > after) { // a negative long is an unsigned length ≥ 2^63
                throw new ModelFileException(file, 0, String.format("the header length is %s bytes, but %d bytes "
                        + "follow it", Long.toUnsignedString(headerLength), after));
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new ModelFileException(file, 0, String.format("the header length is %d bytes, more than the "
                        + "%d that chainrule (like the safetensors reference) accepts", headerLength, MAX_HEADER_BYTES));
            }
            byte[] header = new byte[(int) headerLength];
            readFully(channel, Header.START, ByteBuffer.wrap(header), file);
            Header.Parser parser = Header.parser(file, header);
            Map<String, String> allMetadata = parser.metadata();
            Map<String, String> metadata = checkMetadata(file, allMetadata, parser.metadataOffset());
            List<Header.Entry> entries = parser.entries(after - headerLength);

            String recorded = allMetadata.get(CHECKSUM_KEY);
            int digitsAt = checksumDigitsAt(header);
            if (digitsAt < 0 || !recorded.equals(new String(header, digitsAt, 8, StandardCharsets.US_ASCII))) {
                throw new ModelFileException(file, parser.metadataOffset(), String.format("%s must be written as %s"
                        + "<8 hex digits>\", without spaces or escapes, as chainrule writes it", CHECKSUM_KEY,
                        new String(CHECKSUM_JSON, StandardCharsets.US_ASCII)));
            }
            System.arraycopy(CHECKSUM_PLACEHOLDER.getBytes(StandardCharsets.US_ASCII), 0, header, digitsAt, 8);
            CRC32C crc = new CRC32C();
            crc.update(length.array());
            crc.update(header);
            Map<String, double[]> data = readData(channel, Header.START + headerLength, entries, crc, file);
            String actual = String.format("%08x", crc.getValue());
            if (!actual.equals(recorded)) {
                throw new ModelFileException(file, String.format("checksum mismatch: the file's CRC32C is %s but its "
                        + "header records %s: the file is corrupt", actual, recorded));
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Header.Entry e : entries) {
                tensors.put(e.name(), Tensor.adopt(e.shape(), data.get(e.name()))); // arrays read for it alone
            }
            return new Contents(file, tensors, metadata);
        }
    }

    /** Checks chainrule's own keys and returns the rest, the caller's metadata. */
    private static Map<String, String> checkMetadata(Path file, Map<String, String> all, long at)
            throws ModelFileException {
        if (all == null) {
            throw new ModelFileException(file, at, "not a chainrule model file: the header has no "
                    + Header.METADATA_KEY + " (a safetensors file written by another program?)");
        }
        String format = all.get(FORMAT_KEY);
        if (!FORMAT.equals(format)) {
            throw new ModelFileException(file, at, format == null
                    ? "not a chainrule model file: " + Header.METADATA_KEY + " has no " + FORMAT_KEY
                    : String.format("not a chainrule model file: %s is \"%s\", expected \"%s\"", FORMAT_KEY,
                            Header.abbreviate(format), FORMAT));
        }
        String version = all.get(VERSION_KEY);
        if (version == null) {
            throw new ModelFileException(file, at, Header.METADATA_KEY + " has no " + VERSION_KEY);
        }
        if (!version.equals(VERSION_TEXT)) {
            throw new ModelFileException(file, at, String.format("unsupported version %s: this chainrule reads "
                    + "version %d", Header.abbreviate(version), VERSION));
        }
        String checksum = all.get(CHECKSUM_KEY);
        if (checksum == null || !CHECKSUM_DIGITS.matcher(checksum).matches()) {
            throw new ModelFileException(file, at, checksum == null
                    ? Header.METADATA_KEY + " has no " + CHECKSUM_KEY
                    : String.format("%s must be 8 lowercase hex digits, found \"%s\"", CHECKSUM_KEY,
                            Header.abbreviate(checksum)));
        }
        Map<String, String> callers = new LinkedHashMap<>();
        for (Map.Entry<String, String> m : all.entrySet()) {
            if (!m.getKey().startsWith(RESERVED_PREFIX)) {
                callers.put(m.getKey(), m.getValue());
            } else if (!m.getKey().equals(FORMAT_KEY) && !m.getKey().equals(VERSION_KEY)
                    && !m.getKey().equals(CHECKSUM_KEY)) {
                throw new ModelFileException(file, at, String.format("%s has the key \"%s\", which version %d does "
                        + "not define", Header.METADATA_KEY, Header.abbreviate(m.getKey()), VERSION));
            }
        }
        return callers;
    }

    /** Reads every tensor's doubles, in file order, feeding every byte to the checksum. */
    private static Map<String, double[]> readData(FileChannel channel, long start, List<Header.Entry> entries,
            CRC32C crc, Path file) throws IOException {
        List<Header.Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Header.Entry::begin));
        long dataBytes = byOffset.isEmpty() ? 0 : byOffset.get(byOffset.size() - 1).end();
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.max(Double.BYTES, Math.min(CHUNK_BYTES, dataBytes)))
                .order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = chunk.capacity() / Double.BYTES;
        Map<String, double[]> data = new LinkedHashMap<>();
        for (Header.Entry e : byOffset) {
            double[] values = new double[e.shape().size()]; // its byte range, checked against the file, holds them
            long position = start + e.begin();
            for (int from = 0; from < values.length; from += perChunk) {
                int count = Math.min(perChunk, values.length - from);
                chunk.clear().limit(count * Double.BYTES);
                readFully(channel, position, chunk, file);
                crc.update(chunk.array(), 0, chunk.limit());
                chunk.flip();
                chunk.asDoubleBuffer().get(values, from, count);
                position += chunk.limit();
            }
            data.put(e.name(), values);
        }
        return data;
    }

    /** Where the checksum's 8 digits start in the header's bytes, or −1 if it is not written as we write it. */
    private static int checksumDigitsAt(byte[] header) {
        // In valid JSON this byte sequence can only be the key itself: a quote inside a string is escaped, and one
        // that closes a string cannot be followed by the bare word chainrule.crc32c.
        outer:
        for (int i = 0; i + CHECKSUM_JSON.length + 9 <= header.length; i++) {
            for (int j = 0; j < CHECKSUM_JSON.length; j++) {
                if (header[i + j] != CHECKSUM_JSON[j]) {
                    continue outer;
                }
            }
            int digits = i + CHECKSUM_JSON.length;
            return header[digits + 8] == '"' ? digits : -1;
        }
        return -1;
    }

    /** Hands each tensor's doubles to {@code sink} as little-endian bytes, a chunk at a time. */
    private static void forEachChunk(List<Tensor> tensors, int chunkBytes, ChunkSink sink) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(chunkBytes).order(ByteOrder.LITTLE_ENDIAN);
        DoubleBuffer doubles = chunk.asDoubleBuffer();
        int perChunk = chunkBytes / Double.BYTES;
        for (Tensor t : tensors) {
            double[] values = t.toArray();
            for (int from = 0; from < values.length; from += perChunk) {
                int count = Math.min(perChunk, values.length - from);
                doubles.clear();
                doubles.put(values, from, count);
                chunk.clear().limit(count * Double.BYTES);
                sink.accept(chunk);
            }
        }
    }

    /** Receives one chunk of the data section; may consume the buffer. */
    @FunctionalInterface
    private interface ChunkSink {
        void accept(ByteBuffer chunk) throws IOException;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void readFully(FileChannel channel, long position, ByteBuffer buffer, Path file)
            throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new ModelFileException(file, at, "the file ended early: it shrank while being read");
            }
            at += read;
        }
    }

    /**
     * What a model file holds: its tensors and the caller's metadata. Immutable; it exists only whole, since
     * {@link ModelFile#read} checks the entire file before it builds one.
     */
    public static final class Contents {
        private static final int MAX_LISTED = 10;

        private final Path file;
        private final Map<String, Tensor> tensors;
        private final Map<String, String> metadata;

        private Contents(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
            this.file = file;
            this.tensors = Collections.unmodifiableMap(tensors);
            this.metadata = Collections.unmodifiableMap(metadata);
        }

        /**
         * The file these contents came from.
         *
         * @return its path, as the caller named it
         */
        public Path file() {
            return file;
        }

        /**
         * The tensors by name.
         *
         * @return an unmodifiable map in the order the file lists them (the order they were written in)
         */
        public Map<String, Tensor> tensors() {
            return tensors;
        }

        /**
         * The metadata that the writer's caller supplied, without chainrule's own {@value ModelFile#RESERVED_PREFIX} keys,
         * which {@link ModelFile#read} has checked.
         *
         * @return an unmodifiable map in the order the file lists it
         */
        public Map<String, String> metadata() {
            return metadata;
        }

        /**
         * Checks one metadata value, typically the architecture, before a model is built from these contents.
         *
         * @param key the metadata key, e.g. {@code "architecture"}
         * @param expected the value the model being restored has
         * @return these contents, for chaining
         * @throws ModelFileException if the key is missing or holds another value; the message shows both
         */
        public Contents requireMetadata(String key, String expected) throws ModelFileException {
            checkNotNull(key, "Contents.requireMetadata: key is null");
            checkNotNull(expected, "Contents.requireMetadata: expected is null");
            String found = metadata.get(key);
            if (found == null) {
                throw new ModelFileException(file, String.format("the metadata has no \"%s\"; expected \"%s\"",
                        Header.abbreviate(key, 200), Header.abbreviate(expected, 200)));
            }
            if (!found.equals(expected)) {
                throw new ModelFileException(file, String.format("\"%s\" is \"%s\" in the file, but \"%s\" was "
                        + "expected", Header.abbreviate(key, 200), Header.abbreviate(found, 200),
                        Header.abbreviate(expected, 200)));
            }
            return this;
        }

        /**
         * Checks that the tensors are exactly those a model needs, by name and shape (in any order), before the
         * model takes their values.
         *
         * @param expected each tensor's name and shape, as the model being restored has them
         * @return these contents, for chaining
         * @throws ModelFileException if a tensor is missing, unexpected or of another shape; the message lists the
         *     differences (the first ten, and how many more)
         */
        public Contents requireShapes(Map<String, Shape> expected) throws ModelFileException {
            checkNotNull(expected, "Contents.requireShapes: expected is null");
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, Shape> e : expected.entrySet()) {
                Tensor t = tensors.get(e.getKey());
                if (t == null) {
                    problems.add(String.format("missing \"%s\" %s", Header.abbreviate(e.getKey(), 200), e.getValue()));
                } else if (!t.shape().equals(e.getValue())) {
                    problems.add(String.format("\"%s\" is %s in the file but %s was expected",
                            Header.abbreviate(e.getKey(), 200), t.shape(), e.getValue()));
                }
            }
            for (Map.Entry<String, Tensor> t : tensors.entrySet()) {
                if (!expected.containsKey(t.getKey())) {
                    problems.add(String.format("unexpected \"%s\" %s", Header.abbreviate(t.getKey(), 200),
                            t.getValue().shape()));
                }
            }
            if (!problems.isEmpty()) {
                throw new ModelFileException(file, "the tensors do not fit the model: " + list(problems));
            }
            return this;
        }

        private static String list(List<String> items) {
            String listed = items.stream().limit(MAX_LISTED).collect(Collectors.joining("; "));
            return items.size() <= MAX_LISTED ? listed : listed + "; and " + (items.size() - MAX_LISTED) + " more";
        }

        /** Like {@code Contents[model.safetensors: W (2, 3), b (3); metadata {architecture=...}]}. */
        @Override
        public String toString() {
            List<String> listed = tensors.entrySet().stream()
                    .map(e -> Header.abbreviate(e.getKey(), 200) + " " + e.getValue().shape())
                    .collect(Collectors.toList());
            return "Contents[" + file + ": " + (listed.isEmpty() ? "no tensors" : list(listed)) + "; metadata "
                    + metadata + "]";
        }

        /** Equal files' contents: the same tensors (as {@link Tensor#equals} compares them) and metadata. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Contents && tensors.equals(((Contents) o).tensors)
                    && metadata.equals(((Contents) o).metadata);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tensors, metadata);
        }
    }
}
