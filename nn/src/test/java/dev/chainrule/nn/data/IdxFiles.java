package dev.chainrule.nn.data;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * IDX and gzip bytes for tests, written and decoded here from the format's description, independently of
 * {@link IdxReader}, {@link FileBytes} and {@link GzipInput}.
 */
final class IdxFiles {
    private IdxFiles() {}

    static final int UNSIGNED_BYTE = 0x08, SIGNED_BYTE = 0x09, SHORT = 0x0B, INT = 0x0C, FLOAT = 0x0D, DOUBLE = 0x0E;
    static final int[] TYPES = {UNSIGNED_BYTE, SIGNED_BYTE, SHORT, INT, FLOAT, DOUBLE};

    static int size(int type) {
        return switch (type) {
            case UNSIGNED_BYTE, SIGNED_BYTE -> 1;
            case SHORT -> 2;
            case INT, FLOAT -> 4;
            case DOUBLE -> 8;
            default -> throw new IllegalArgumentException("type " + type);
        };
    }

    /** A header only: 0, 0, type, rank, then the sizes. */
    static byte[] header(int type, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    /** A whole IDX file holding {@code values}, each written as the type writes it. */
    static byte[] idx(int type, int[] dims, double... values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(header(type, dims));
            for (double v : values) {
                switch (type) {
                    case UNSIGNED_BYTE, SIGNED_BYTE -> out.writeByte((int) v);
                    case SHORT -> out.writeShort((int) v);
                    case INT -> out.writeInt((int) v);
                    case FLOAT -> out.writeFloat((float) v);
                    default -> out.writeDouble(v);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** {@code a} then {@code b}. */
    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** A gzip file of {@code data}, as the JDK writes it, at the given deflate level. */
    static byte[] gzip(byte[] data, int level) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes) {
            {
                def.setLevel(level);
            }
        }) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] data) {
        return gzip(data, Deflater.DEFAULT_COMPRESSION);
    }

    /**
     * A gzip member written by hand (RFC 1952), with the optional header fields the JDK never writes: an extra
     * field, a file name, a comment and the header's CRC-16.
     */
    static byte[] gzipWithOptionalFields(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3});
        out.writeBytes(new byte[] {3, 0, 'a', 'b', 'c'});
        out.writeBytes("images.idx\0a comment\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        CRC32 headerCrc = new CRC32();
        headerCrc.update(out.toByteArray());
        out.write((int) headerCrc.getValue() & 0xff);
        out.write((int) (headerCrc.getValue() >> 8) & 0xff);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        byte[] chunk = new byte[4096];
        while (!deflater.finished()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        CRC32 crc = new CRC32();
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue())
                .putInt(data.length).array());
        return out.toByteArray();
    }

    /** What the JDK's lenient reader makes of gzip bytes, or null if it refuses them. */
    static byte[] gunzip(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /** An IDX file decoded as the format describes it, or null if it is not a whole, valid one. */
    static Decoded decode(byte[] file) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(file));
            if (file.length < 4 || in.readByte() != 0 || in.readByte() != 0) {
                return null;
            }
            int type = in.readUnsignedByte();
            if (Arrays.stream(TYPES).noneMatch(t -> t == type)) {
                return null;
            }
            int[] dims = new int[in.readUnsignedByte()];
            if (file.length < 4 + 4L * dims.length) {
                return null;
            }
            BigInteger count = BigInteger.ONE;
            for (int i = 0; i < dims.length; i++) {
                long d = in.readInt() & 0xffffffffL;
                if (d > Integer.MAX_VALUE - 8) {
                    return null;
                }
                dims[i] = (int) d;
                count = count.multiply(BigInteger.valueOf(d));
            }
            if (count.compareTo(BigInteger.valueOf(Integer.MAX_VALUE - 8)) > 0
                    || BigInteger.valueOf(file.length - 4L - 4L * dims.length)
                            .compareTo(count.multiply(BigInteger.valueOf(size(type)))) != 0) {
                return null;
            }
            double[] values = new double[count.intValueExact()];
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (type) {
                    case UNSIGNED_BYTE -> in.readUnsignedByte();
                    case SIGNED_BYTE -> in.readByte();
                    case SHORT -> in.readShort();
                    case INT -> in.readInt();
                    case FLOAT -> in.readFloat();
                    default -> in.readDouble();
                };
                if (!Double.isFinite(values[i])) {
                    return null;
                }
            }
            return new Decoded(type, dims, values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The images and labels as a dataset, as the format describes it, or null if they do not make one. */
    static Dataset decode(byte[] images, byte[] labels) {
        Decoded x = decode(images);
        Decoded y = decode(labels);
        if (x == null || y == null || x.dims.length < 1 || y.dims.length != 1 || x.dims[0] != y.dims[0]
                || y.type == FLOAT || y.type == DOUBLE
                || Arrays.stream(y.values).anyMatch(v -> v < 0 || v >= Integer.MAX_VALUE)) {
            return null;
        }
        BigInteger d = BigInteger.ONE;
        for (int i = 1; i < x.dims.length; i++) {
            d = d.multiply(BigInteger.valueOf(x.dims[i]));
        }
        if (d.compareTo(BigInteger.valueOf(Integer.MAX_VALUE - 8)) > 0) {
            return null;
        }
        return new Dataset(Tensor.of(Shape.of(x.dims[0], d.intValueExact()), x.values),
                Arrays.stream(y.values).mapToInt(v -> (int) v).toArray());
    }

    /** A decoded IDX file. */
    record Decoded(int type, int[] dims, double[] values) {
        Tensor tensor() {
            return Tensor.of(Shape.of(dims), values);
        }
    }
}
