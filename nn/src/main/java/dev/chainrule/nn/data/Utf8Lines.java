package dev.chainrule.nn.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a UTF-8 file, each decoded on its own so that a byte that is not UTF-8 is reported on its own
 * line ({@link java.io.BufferedReader} decodes ahead, and fails on whichever line it happens to be reading). A
 * line ends with {@code \n} or {@code \r\n}; the last one may lack it.
 */
final class Utf8Lines implements Closeable {
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int start;
    private int end;
    private byte[] line = new byte[256];
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder(); // reports malformed input

    Utf8Lines(InputStream in) {
        this.in = in;
    }

    /**
     * The next line without its line end, or null at the end of the file.
     *
     * @throws CharacterCodingException if the line is not UTF-8
     */
    String next() throws IOException {
        int length = 0;
        boolean any = false;
        while (start < end || fill()) {
            any = true;
            byte b = buffer[start++];
            if (b == '\n') {
                break;
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, 2 * length);
            }
            line[length++] = b;
        }
        if (!any) {
            return null;
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        return decoder.decode(ByteBuffer.wrap(line, 0, length)).toString();
    }

    private boolean fill() throws IOException {
        start = 0;
        end = Math.max(in.read(buffer), 0);
        return end > 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
