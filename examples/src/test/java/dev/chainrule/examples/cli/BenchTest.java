package dev.chainrule.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chainrule.core.Parallelism;
import dev.chainrule.examples.bench.TrainingBenchmark;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Only the shape of what bench prints: no test asserts a time. */
class BenchTest {
    private static final Pattern TRAINING_LINE =
            Pattern.compile("(.+?) +(\\d+\\.\\d) us/step +(\\d+) samples/s");

    @Test
    void oneCaseGivesAHeaderAndOneLineWithItsNameAndPositiveNumbers() {
        Cli run = Cli.run("bench", "--case", "mazur-2-2-2 b1", "--steps", "20");

        assertEquals(0, run.exitCode(), run.toString());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size(), run.toString());
        assertTrue(lines.get(0).startsWith("# chainrule | ") && lines.get(0).contains(" | threads "), run.toString());
        assertTrue(lines.get(0).contains(" | matmul java") || lines.get(0).contains(" | matmul native"), lines.get(0));
        assertTrue(lines.get(0).contains(" | gc " + TrainingBenchmark.collector() + " | "), lines.get(0));
        Matcher line = TRAINING_LINE.matcher(lines.get(1));
        assertTrue(line.matches(), run.toString());
        assertEquals("mazur-2-2-2 b1", line.group(1));
        assertTrue(Double.parseDouble(line.group(2)) > 0 && Long.parseLong(line.group(3)) > 0, run.toString());
    }

    @Test
    void jsonHasTheRunAndEachCasesFields() {
        Cli run = Cli.run("bench", "--json", "--threads", "2", "--steps", "1",
                "--case", "xor-2-4-2 b4", "--case", "matmul-At.B n256");

        assertEquals(0, run.exitCode(), run.toString());
        JsonObject report = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals("chainrule", report.get("tool").getAsString());
        assertTrue(report.get("jvm").getAsString().contains(Runtime.version().toString()), run.toString());
        assertEquals(TrainingBenchmark.collector(), report.get("collector").getAsString());
        assertFalse(report.get("collector").getAsString().isEmpty(), run.toString());
        assertEquals(2, report.get("threads").getAsInt());
        assertEquals("--threads", report.get("threadSetting").getAsString());
        assertTrue(report.get("date").getAsString().matches("\\d{4}-\\d\\d-\\d\\dT.+"), run.toString());
        JsonObject training = report.getAsJsonArray("cases").get(0).getAsJsonObject();
        JsonObject product = report.getAsJsonArray("cases").get(1).getAsJsonObject();
        assertEquals("xor-2-4-2 b4", training.get("name").getAsString());
        assertEquals("training", training.get("kind").getAsString());
        assertEquals(1, training.get("steps").getAsInt());
        assertTrue(training.get("warmup").getAsInt() >= 5, "5 steps, and a second's worth: " + run);
        assertTrue(training.get("warmupSettled").getAsJsonPrimitive().isBoolean(), run.toString());
        assertTrue(training.get("microseconds").getAsDouble() > 0, run.toString());
        assertTrue(training.get("samplesPerSecond").getAsDouble() > 0, run.toString());
        assertTrue(training.get("gflops").isJsonNull(), run.toString());
        assertEquals("matmul-At.B n256", product.get("name").getAsString());
        assertEquals("matmul", product.get("kind").getAsString());
        assertTrue(product.get("samplesPerSecond").isJsonNull(), run.toString());
        assertTrue(product.get("gflops").getAsDouble() > 0, run.toString());
    }

    @Test
    void threadsSetTheKernelsThreadCountForTheRunOnly() {
        int before = Parallelism.threads();
        Cli run = Cli.run("bench", "--threads", "3", "--steps", "1", "--case", "matmul-A.B n256");

        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains(" | threads 3 (--threads) | "), run.toString());
        assertEquals(before, Parallelism.threads(), "restored after the run");
    }

    @Test
    void anUnknownCaseIsAUsageErrorThatListsTheValidNames() {
        Cli run = Cli.run("bench", "--case", "mazur");

        assertEquals(2, run.exitCode(), run.toString());
        String first = run.err().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("chainrule bench: no case named 'mazur'; the cases are 'mazur-2-2-2 b1', "),
                run.toString());
        for (String name : TrainingBenchmark.names()) {
            assertTrue(first.contains("'" + name + "'"), name + " in\n" + run);
        }
        assertEquals("", run.out());
    }

    @Test
    void noThreadsOrNoStepsIsAUsageError() {
        Cli threads = Cli.run("bench", "--threads", "0");
        assertEquals(2, threads.exitCode(), threads.toString());
        assertTrue(threads.err().startsWith("chainrule bench: --threads must be at least 1, got 0"),
                threads.toString());

        Cli steps = Cli.run("bench", "--steps", "0");
        assertEquals(2, steps.exitCode(), steps.toString());
        assertTrue(steps.err().startsWith("chainrule bench: --steps must be at least 1, got 0"), steps.toString());
    }
}
