package dev.chainrule.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scripts in bench/ at the repository's root; none needs PyTorch for these checks. */
class BenchScriptsTest {
    private static final Path BENCH = Path.of("..", "bench");

    @Test
    void pytorchBenchHasTheSameCasesInTheSameOrder() throws Exception {
        Ran list = run(List.of(python(), BENCH.resolve("pytorch_bench.py").toString(), "--list"), null);

        assertEquals(0, list.exitCode(), list.output());
        assertEquals(TrainingBenchmark.names(), list.output().lines().toList());
    }

    @Test
    void vsPytorchSaysHowToInstallPytorchAndExits2WithoutIt() throws Exception {
        Ran script = run(List.of("bash", BENCH.resolve("vs-pytorch.sh").toString()), "/no/such/python3");

        assertEquals(2, script.exitCode(), script.output());
        assertTrue(script.output().contains("PyTorch is not installed for /no/such/python3"), script.output());
        assertTrue(script.output().contains("apt-get install python3-torch python3-numpy"), script.output());
        assertTrue(script.output().contains("/usr/bin/python3"), script.output());
    }

    @Test
    void vsPytorchRefusesARoundCountThatIsNotAPositiveNumber() throws Exception {
        for (String rounds : List.of("0", "-1", "three")) {
            Ran script = run(List.of("bash", BENCH.resolve("vs-pytorch.sh").toString(), "--rounds", rounds), null);

            assertEquals(2, script.exitCode(), script.output());
            assertTrue(script.output().contains("--rounds must be a positive number, got '" + rounds + "'"),
                    script.output());
        }
    }

    /** Any Python 3 lists the cases: the list does not import torch. */
    private static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private record Ran(int exitCode, String output) {}

    private static Ran run(List<String> command, String pythonVariable) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (pythonVariable != null) {
            builder.environment().put("PYTHON", pythonVariable);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "finished: " + command);
        return new Ran(process.exitValue(), output);
    }
}
