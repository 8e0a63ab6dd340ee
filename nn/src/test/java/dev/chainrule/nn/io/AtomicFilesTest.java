package dev.chainrule.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
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
    void writeIntoAMissingFolderFailsNamingTheTargetAndCreatesNothing() {
        Path file = folder.resolve("missing").resolve("picture.png");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> AtomicFiles.write(file, new byte[] {1}));
        assertEquals(file.toString(), e.getFile());
        assertEquals("its folder " + file.getParent() + " does not exist", e.getReason());
        assertEquals(false, Files.exists(file.getParent()));
    }

    @Test
    void aTargetThatIsAFolderIsRefusedNamingItAndLeftAlone() throws IOException {
        Path target = Files.createDirectory(folder.resolve("model.safetensors"));
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFiles.write(target, new byte[1]));
        assertEquals(target.toString(), e.getFile());
        assertEquals("is a folder, not a file", e.getReason());
        assertTrue(Files.isDirectory(target));
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(List.of(target), files.toList(), "no temporary file left");
        }
    }
}
