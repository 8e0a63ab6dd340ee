package dev.chainrule.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void theTableGivesEachCaseItsTargetAndCountsTheMisses(@TempDir Path work) throws Exception {
        // two rounds; chainrule's times, then PyTorch's, round by round
        write(work, "native BLAS (OpenBLAS on 1 thread of its own)", 1, List.of(
                new Timing("xor-2-4-2 b4", null, new double[] {1.0, 1.2}, new double[] {120, 130}),
                new Timing("mlp-784-256-128-10 b128", null, new double[] {3000, 3400}, new double[] {3300, 3500}),
                new Timing("matmul-A.Bt n256", 40.0, new double[] {800, 840}, new double[] {600, 640})));

        Ran table = table(work, 2, 3, 1);

        assertEquals(0, table.exitCode(), table.output());
        List<String> lines = table.output().lines().toList();
        assertRow(lines, "xor-2-4-2 b4", "1.10", "125.00", "113.636", ">= 100x", "yes");
        assertRow(lines, "mlp-784-256-128-10 b128", "3200.00", "3400.00", "1.062", ">= 1x", "yes");
        // 40 GFLOP/s at 800 us: 32 MFLOP; over the medians 820 and 620 us, 39.02 and 51.61 GFLOP/s
        assertRow(lines, "matmul-A.Bt n256", "820.00", "620.00", "0.756", "39.02", "51.61", ">= 0.8x", "NO");
        assertEquals("# targets met: 2 of 3; missed: matmul-A.Bt n256 0.756x < 0.8x", lines.get(lines.size() - 1));
    }

    @Test
    void theTableNamesTheRoundsWhoseWarmupDidNotSettle(@TempDir Path work) throws Exception {
        write(work, "native BLAS (OpenBLAS on 1 thread of its own)", 1, List.of(
                new Timing("xor-2-4-2 b4", null, new double[] {1.0, 1.2}, new double[] {120, 130}),
                new Timing("mlp-784-1024-1024-10 b256", null, new double[] {60_000, 58_000},
                        new double[] {62_000, 63_000})));
        Ran settled = table(work, 2, 2, 1);
        Path secondRound = work.resolve("chainrule-t1-2-1.json");
        Files.writeString(secondRound, Files.readString(secondRound).replace("\"warmupSettled\": true",
                "\"warmupSettled\": false"));

        Ran table = table(work, 2, 2, 1);

        assertEquals(0, settled.exitCode(), settled.output());
        assertTrue(settled.output().lines().noneMatch(l -> l.contains("warm-up")), settled.output());
        assertEquals(0, table.exitCode(), table.output());
        List<String> lines = table.output().lines().toList();
        assertEquals("# chainrule's warm-up reached its limit before the JIT and the heap settled, so these times may"
                + " include compiling or page faults: mlp-784-1024-1024-10 b256 (round 2)",
                lines.get(lines.size() - 2));
        assertEquals("# targets met: 2 of 2", lines.get(lines.size() - 1), "a note, not a miss");
    }

    @Test
    void pureJavaRunsAreHeldToThePureJavaTargets(@TempDir Path work) throws Exception {
        write(work, "java (no native BLAS: install libopenblas0-pthread)", 1, List.of(
                new Timing("mlp-784-256-128-10 b32", null, new double[] {2000}, new double[] {900}),
                new Timing("matmul-A.B n256", 20.0, new double[] {1600}, new double[] {700}),
                new Timing("matmul-A.B n1024", 11.5, new double[] {186_000}, new double[] {45_000})));

        Ran table = table(work, 1, 3, 1);

        assertEquals(0, table.exitCode(), table.output());
        List<String> lines = table.output().lines().toList();
        assertRow(lines, "mlp-784-256-128-10 b32", "0.450", ">= 0.4x", "yes");
        assertTrue(row(lines, "matmul-A.B n256").endsWith(" -"), "no pure-Java target at n = 256: " + lines);
        assertRow(lines, "matmul-A.B n1024", "11.50", ">= 12 GF/s", "NO");
        assertEquals("# targets met: 1 of 2; missed: matmul-A.B n1024 11.5 GF/s < 12 GF/s",
                lines.get(lines.size() - 1));
    }

    @Test
    void withOneThreadAndTwoALastTableGivesTheSpeedUpOfTheNetworksFromBatch128(@TempDir Path work) throws Exception {
        List<Timing> oneThread = List.of(
                new Timing("mlp-784-256-128-10 b32", null, new double[] {900}, new double[] {1200}),
                new Timing("mlp-784-256-128-10 b128", null, new double[] {3200}, new double[] {3400}),
                new Timing("ng-400-25-10 b5000", null, new double[] {9000}, new double[] {12000}),
                new Timing("matmul-A.B n1024", 46.0, new double[] {46_000}, new double[] {43_000}));
        List<Timing> twoThreads = List.of(
                new Timing("mlp-784-256-128-10 b32", null, new double[] {800}, new double[] {3800}),
                new Timing("mlp-784-256-128-10 b128", null, new double[] {1900}, new double[] {8000}),
                new Timing("ng-400-25-10 b5000", null, new double[] {6000}, new double[] {26000}),
                new Timing("matmul-A.B n1024", 83.0, new double[] {26_000}, new double[] {23_000}));
        write(work, "native BLAS (OpenBLAS on 1 thread of its own)", 1, oneThread);
        write(work, "native BLAS (OpenBLAS on 1 thread of its own)", 2, twoThreads);

        Ran table = table(work, 1, 4, 1, 2);

        assertEquals(0, table.exitCode(), table.output());
        List<String> lines = table.output().lines().toList();
        assertEquals(2, lines.stream().filter(l -> l.startsWith("# targets met: 4 of 4")).count(), table.output());
        // 3200 / 1900 and 9000 / 6000; PyTorch's 3400 / 8000; batch 32 and the product have no scaling target
        int scaling = lines.indexOf(lines.stream().filter(l -> l.startsWith("# 2 threads against 1")).findFirst()
                .orElseThrow(() -> new AssertionError("no scaling table: " + lines)));
        List<String> rows = lines.subList(scaling + 2, lines.size());
        assertTrue(rows.get(0).startsWith("mlp-784-256-128-10 b128 "), rows.toString());
        assertRow(rows, "mlp-784-256-128-10 b128", "3200.00", "1900.00", "1.684", "0.425", ">= 1.6x", "yes");
        assertRow(rows, "ng-400-25-10 b5000", "9000.00", "6000.00", "1.500", "0.462", ">= 1.6x", "NO");
        assertEquals("# scaling targets met: 1 of 2; missed: ng-400-25-10 b5000 1.5x < 1.6x", rows.get(2));
        // the product's speed-ups as a reference, counted in no tally: 46000 / 26000, PyTorch's 43000 / 23000
        assertTrue(rows.get(3).startsWith("# for reference, no target"), rows.toString());
        assertRow(rows, "matmul-A.B n1024", "46000.00", "26000.00", "1.769", "1.870");
        assertTrue(row(rows, "matmul-A.B n1024").endsWith(" -"), rows.toString());
        assertEquals("# all targets met: 9 of 10; missed in scaling: ng-400-25-10 b5000 1.5x < 1.6x",
                lines.get(lines.size() - 1));
    }

    @Test
    void theSummaryCountsTheRunsThatMetEachTargetAndGivesTheRangeOfItsRatio(@TempDir Path work) throws Exception {
        // two runs of one round on 1 and 2 threads, as vs_table.py prints them; the second misses two targets
        double[][] chainrule = {{3200, 1900, 800}, {3000, 2400, 950}}; // b128 t1, b128 t2, A.B n256 t1
        double[][] pytorch = {{3400, 8000, 700}, {3300, 7000, 700}};
        List<Path> printed = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            Path dir = Files.createDirectory(work.resolve("run" + run));
            double[] ours = chainrule[run], theirs = pytorch[run];
            write(dir, "native BLAS (OpenBLAS on 1 thread of its own)", 1, List.of(
                    new Timing("mlp-784-256-128-10 b128", null, new double[] {ours[0]}, new double[] {theirs[0]}),
                    new Timing("matmul-A.B n256", 40.0, new double[] {ours[2]}, new double[] {theirs[2]})));
            write(dir, "native BLAS (OpenBLAS on 1 thread of its own)", 2, List.of(
                    new Timing("mlp-784-256-128-10 b128", null, new double[] {ours[1]}, new double[] {theirs[1]}),
                    new Timing("matmul-A.B n256", 80.0, new double[] {ours[2] / 2}, new double[] {theirs[2] / 2})));
            Ran table = table(dir, 1, 2, 1, 2);
            assertEquals(0, table.exitCode(), table.output());
            printed.add(Files.writeString(work.resolve("run" + run + ".txt"), table.output()));
        }

        List<String> command = new ArrayList<>(List.of(python(), BENCH.resolve("vs_summary.py").toString()));
        printed.forEach(path -> command.add(path.toString()));
        Ran summary = run(command, null);

        assertEquals(0, summary.exitCode(), summary.output());
        List<String> lines = summary.output().lines().toList();
        // the first run met all 5 targets; the second missed A.B n256 on both thread counts (700 / 950 = 0.737x)
        // and the speed-up (3000 / 2400 = 1.25x)
        assertEquals(List.of("# 2 run(s):", "#   " + printed.get(0), "#   " + printed.get(1),
                "# every target met in 1 of the 2 runs that count them all; targets met per run: 5, 2 of 5"),
                lines.subList(0, 4));
        // b128 on 1 thread: 3400 / 3200 = 1.0625 and 3300 / 3000 = 1.1; on 2: 8000 / 1900 = 4.211, 7000 / 2400
        assertRow(lines, "1 thread   mlp-784-256-128-10 b128", ">= 1x", "2 of 2", "1.062", "1.081", "1.100");
        assertRow(lines, "2 threads  mlp-784-256-128-10 b128", ">= 1x", "2 of 2", "2.917", "3.564", "4.211");
        assertRow(lines, "1 thread   matmul-A.B n256", ">= 0.8x", "1 of 2", "0.737", "0.806", "0.875");
        assertRow(lines, "2 threads  matmul-A.B n256", ">= 0.8x", "1 of 2", "0.737", "0.806", "0.875");
        assertRow(lines, "speed-up   mlp-784-256-128-10 b128", ">= 1.6x", "1 of 2", "1.250", "1.467", "1.684");
    }

    @Test
    void theSummaryRefusesAFileThatHoldsNoTable(@TempDir Path work) throws Exception {
        Path notATable = Files.writeString(work.resolve("notes.txt"), "chainrule 1.0 us\n");

        Ran summary = run(List.of(python(), BENCH.resolve("vs_summary.py").toString(), notATable.toString()), null);

        assertEquals(1, summary.exitCode(), summary.output());
        assertTrue(summary.output().contains(notATable + " holds no table of bench/vs-pytorch.sh"), summary.output());
    }

    private static Ran table(Path work, int rounds, int cases, int... threads) throws Exception {
        List<String> command = new ArrayList<>(List.of(python(), BENCH.resolve("vs_table.py").toString(),
                work.toString(), String.valueOf(rounds), String.valueOf(cases)));
        Arrays.stream(threads).forEach(t -> command.add(String.valueOf(t)));
        return run(command, null);
    }

    /** One case's times over the rounds, and chainrule's GFLOP/s in the first round for a product (else null). */
    private record Timing(String name, Double gflops, double[] chainrule, double[] pytorch) {}

    /** The JSON documents vs-pytorch.sh leaves for vs_table.py: {tool}-t{threads}-{round}-{case}.json. */
    private static void write(Path work, String matmul, int threads, List<Timing> timings) throws IOException {
        for (int i = 0; i < timings.size(); i++) {
            Timing t = timings.get(i);
            for (int r = 0; r < t.chainrule().length; r++) {
                String file = "-t" + threads + "-" + (r + 1) + "-" + i + ".json";
                double gflops = t.gflops() == null ? Double.NaN : t.gflops() * t.chainrule()[0] / t.chainrule()[r];
                Files.writeString(work.resolve("chainrule" + file), String.format(Locale.ROOT,
                        "{\"jvm\": \"JVM\", \"collector\": \"PS\", \"threads\": %d, \"threadSetting\": \"--threads\","
                                + " \"matmul\": \"%s\", \"date\": \"2026-12-01T00:00:00Z\","
                                + " \"cases\": [{\"name\": \"%s\", \"warmupSettled\": true, \"microseconds\": %s,"
                                + " \"gflops\": %s}]}",
                        threads, matmul, t.name(), t.chainrule()[r], t.gflops() == null ? "null" : gflops));
                Files.writeString(work.resolve("pytorch" + file), String.format(Locale.ROOT,
                        "{\"torch\": \"1.13\", \"python\": \"3.11\", \"threads\": %d, \"blas\": \"openblas\","
                                + " \"cases\": [{\"name\": \"%s\", \"microseconds\": %s}]}",
                        threads, t.name(), t.pytorch()[r]));
            }
        }
    }

    private static String row(List<String> lines, String name) {
        return lines.stream().filter(l -> l.startsWith(name + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + name + " in " + lines));
    }

    /** The row of the named case holds these fields, in this order, each set apart by spaces. */
    private static void assertRow(List<String> lines, String name, String... fields) {
        String row = row(lines, name);
        int from = name.length();
        for (String field : fields) {
            int at = row.indexOf(" " + field, from);
            int end = at + 1 + field.length();
            assertTrue(at >= 0 && (end == row.length() || row.charAt(end) == ' '),
                    "'" + field + "' after column " + from + " in: " + row);
            from = end;
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
