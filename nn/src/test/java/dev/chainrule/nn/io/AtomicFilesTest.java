package dev.chainrule.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path folder;

    @Test
    void writeCreatesAFileThenReplacesItWholeLeavingNoTemporaryFile() throws IOException {
        Path file = folder.resolve("picture.png");
        byte[] first = new byte[3_000_000];       // larger than one write may take at once
        new Random(1).nextBytes(first);
        AtomicFiles.write(file, first);
        assertArrayEquals(first, Files.readAllBytes(file));

        byte[] second = {1, 2, 3};
        AtomicFiles.write(file, second);
        assertArrayEquals(second, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void writeIntoAMissingFolderFailsAndCreatesNothing() {
        Path file = folder.resolve("missing").resolve("picture.png");
        assertThrows(NoSuchFileException.class, () -> AtomicFiles.write(file, new byte[] {1}));
        assertEquals(false, Files.exists(file.getParent()));
    }
}
