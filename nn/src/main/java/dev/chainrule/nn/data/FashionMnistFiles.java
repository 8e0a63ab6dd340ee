package dev.chainrule.nn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): 28 × 28 grey images of clothing in 10 classes, 60000 for
 * training and 10000 for testing, as IDX files. On Debian, {@code apt-get install dataset-fashion-mnist} puts
 * them in {@link #DEBIAN_DIRECTORY}.
 *
 * <pre>{@code
 * Dataset train = FashionMnistFiles.train(FashionMnistFiles.DEBIAN_DIRECTORY);   // 60000 × 784, pixels in [0, 1]
 * Dataset test = FashionMnistFiles.test(FashionMnistFiles.DEBIAN_DIRECTORY);     // 10000 × 784
 * }</pre>
 */
public final class FashionMnistFiles {
    /** Where the Debian package {@code dataset-fashion-mnist} installs the files. */
    public static final Path DEBIAN_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    /** The name of each class, indexed by label: 0 is "T-shirt/top", 9 is "Ankle boot". */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnistFiles() {}

    /**
     * The 60000 training images, {@code train-images-idx3-ubyte} and {@code train-labels-idx1-ubyte}.
     *
     * @param directory where the files are, gzipped ({@code .gz}) or not
     * @return 60000 rows of 784 pixels, row by row, scaled from 0–255 to [0, 1]; 10 classes
     * @throws NoSuchFileException if a file is in the directory neither gzipped nor plain
     * @throws MalformedDataException if a file is not well-formed IDX
     * @throws IOException if a file cannot be read
     */
    public static Dataset train(Path directory) throws IOException {
        return read(directory, "train");
    }

    /**
     * The 10000 test images, {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}.
     *
     * @param directory where the files are, gzipped ({@code .gz}) or not
     * @return 10000 rows of 784 pixels, row by row, scaled from 0–255 to [0, 1]; 10 classes
     * @throws NoSuchFileException if a file is in the directory neither gzipped nor plain
     * @throws MalformedDataException if a file is not well-formed IDX
     * @throws IOException if a file cannot be read
     */
    public static Dataset test(Path directory) throws IOException {
        return read(directory, "t10k");
    }

    private static Dataset read(Path directory, String prefix) throws IOException {
        Dataset data = IdxReader.read(find(directory, prefix + "-images-idx3-ubyte"),
                find(directory, prefix + "-labels-idx1-ubyte"), 1.0 / 255);
        return data.withClasses(CLASS_NAMES.size()); // the images stay bytes
    }

    private static Path find(Path directory, String name) throws NoSuchFileException {
        for (String candidate : List.of(name + ".gz", name)) {
            if (Files.exists(directory.resolve(candidate))) {
                return directory.resolve(candidate);
            }
        }
        throw new NoSuchFileException(directory.resolve(name + ".gz").toString(), null,
                "neither it nor " + name + " exists (on Debian: apt-get install dataset-fashion-mnist)");
    }
}
