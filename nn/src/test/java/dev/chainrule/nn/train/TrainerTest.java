package dev.chainrule.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Activation;
import dev.chainrule.nn.Init;
import dev.chainrule.nn.Linear;
import dev.chainrule.nn.Parameter;
import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.data.Dataset;
import dev.chainrule.nn.optim.Adam;
import dev.chainrule.nn.optim.LearningRate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class TrainerTest {
    /** Three Gaussian blobs in the plane, centred at (0, 3), (3, −2) and (−3, −2): easy to separate. */
    private static Dataset blobs(int perClass, long seed) {
        RandomGenerator random = Randoms.seeded(seed);
        double[][] centres = {{0, 3}, {3, -2}, {-3, -2}};
        double[] features = new double[3 * perClass * 2];
        int[] labels = new int[3 * perClass];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
            features[2 * i] = centres[labels[i]][0] + random.nextGaussian();
            features[2 * i + 1] = centres[labels[i]][1] + random.nextGaussian();
        }
        return new Dataset(Tensor.of(Shape.of(labels.length, 2), features), labels, 3);
    }

    private static Sequential network(long seed) {
        RandomGenerator random = Randoms.seeded(seed);
        return new Sequential(new Linear(2, 8, Init.he(), random), Activation.relu(), new Linear(8, 3, Init.he(), random));
    }

    private static History train(long batchSeed, Dataset data, List<TrainingListener> listeners) {
        Sequential net = network(1);
        Trainer trainer = Trainer.of(net, Adam.adam(net.parameters(), LearningRate.constant(0.02)),
                Loss.softmaxCrossEntropy()).epochs(5).batchSize(16).seed(batchSeed).validation(blobs(20, 9));
        listeners.forEach(trainer::listener);
        return trainer.fit(data);
    }

    @Test
    void learnsToSeparateBlobsAndScoresTheValidationSet() {
        History history = train(3, blobs(60, 2), List.of());

        assertEquals(5, history.epochs().size());
        assertTrue(history.last().accuracy() > 0.95, history.toString());
        assertTrue(history.last().validationAccuracy() > 0.95, history.toString());
        assertTrue(history.losses()[4] < history.losses()[0], history.toString());
    }

    @Test
    void theSameSeedAndDataGiveTheSameHistoryBitForBit() {
        History first = train(3, blobs(60, 2), List.of());
        History again = train(3, blobs(60, 2), List.of());
        History otherOrder = train(4, blobs(60, 2), List.of());

        assertEquals(first, again);
        assertNotEquals(first, otherOrder);
    }

    @Test
    void listenersSeeEveryEpochAndBatchAndTheLogPrintsALinePerEpoch() {
        List<String> events = new ArrayList<>();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void epochStarted(int epoch, int epochs, int batches) {
                events.add("start " + epoch + "/" + epochs + " " + batches);
            }

            @Override
            public void batchFinished(int epoch, int batch, int examples, double loss) {
                events.add("batch " + epoch + "." + batch + " " + examples);
            }
        };
        train(3, blobs(10, 2), List.of(recorder, new EpochLog(new PrintStream(printed, true, StandardCharsets.UTF_8))));

        // 30 examples in batches of 16: 16 then 14, five epochs
        assertEquals(List.of("start 1/5 2", "batch 1.1 16", "batch 1.2 14"), events.subList(0, 3));
        assertEquals(15, events.size());
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(5, lines.size());
        assertTrue(lines.get(4).matches("epoch 5/5  loss \\d\\.\\d{4}  accuracy \\d\\.\\d{4}  validation loss \\d\\.\\d{4}"
                + "  accuracy \\d\\.\\d{4}  [\\d,]+ examples/s  \\d+\\.\\d s"), lines.get(4));
    }

    @Test
    void earlyStoppingEndsTheRunWhenTheValidationLossStopsImproving() {
        Dataset train = blobs(60, 2);
        int[] flipped = train.labels().clone();
        for (int i = 0; i < flipped.length; i++) {
            flipped[i] = (flipped[i] + 1) % 3; // the better the fit, the worse the validation loss
        }
        Sequential net = network(1);
        History history = Trainer.of(net, Adam.adam(net.parameters(), LearningRate.constant(0.02)),
                Loss.softmaxCrossEntropy()).epochs(20).batchSize(16).validation(new Dataset(train.features(), flipped, 3))
                .earlyStopping(2).fit(train);

        assertTrue(history.stoppedEarly());
        assertTrue(history.epochs().size() < 20, history.toString());
        assertThrows(IllegalArgumentException.class, () -> Trainer.of(net, Adam.adam(net.parameters(),
                LearningRate.constant(0.02)), Loss.softmaxCrossEntropy()).earlyStopping(2).fit(train));
    }

    @Test
    void evaluationScoresInEvaluationModeAndRestoresTheMode() {
        Sequential net = network(1);
        Dataset data = blobs(10, 2);
        Evaluation e = Evaluation.of(net, data, Loss.softmaxCrossEntropy(), 7);

        int[] predicted = Evaluation.predict(net, data.features());
        long right = 0;
        for (int i = 0; i < predicted.length; i++) {
            right += predicted[i] == data.labels()[i] ? 1 : 0;
        }
        assertEquals((double) right / data.size(), e.accuracy(), 1e-15);
        assertTrue(net.isTraining());
        assertEquals(Loss.softmaxCrossEntropy().of(net.forward(Variable.constant(data.features())),
                data).item(), e.loss(), 1e-12);
    }
    @Test
    void theProgressBarDrawsEachEpochWithItsLossAndNothingWithoutATerminal() {
        ByteArrayOutputStream drawn = new ByteArrayOutputStream();
        train(3, blobs(10, 2), List.of(ProgressBarListener.drawingOn(new PrintStream(drawn, true, StandardCharsets.UTF_8))));
        String text = drawn.toString(StandardCharsets.UTF_8);

        assertTrue(text.contains("epoch 1/5") && text.contains("epoch 5/5") && text.contains("loss "), text);
        assertTrue(text.contains("2/2"), "each bar reaches its last batch: " + text);
        // Under the test runner there is no console: the listener for terminals stays silent
        assertTrue(!(ProgressBarListener.forTerminal() instanceof ProgressBarListener));
    }
    @Test
    void theWholeRunBarStepsOncePerEpochAndEndsWithTheRun() {
        ByteArrayOutputStream drawn = new ByteArrayOutputStream();
        train(3, blobs(10, 2),
                List.of(ProgressBarListener.wholeRunDrawingOn(new PrintStream(drawn, true, StandardCharsets.UTF_8))));
        String text = drawn.toString(StandardCharsets.UTF_8);

        assertTrue(text.contains("training") && text.contains("5/5") && text.contains("loss "), text);
        assertTrue(!text.contains("epoch 1/5"), "one bar, not one per epoch: " + text);
        assertTrue(!(ProgressBarListener.wholeRunForTerminal() instanceof ProgressBarListener));
    }

    @Test
    void eachEpochReportsTheRateItsLastStepUsed() {
        Sequential net = network(1);
        Dataset data = blobs(10, 2);
        History history = Trainer.of(net, Adam.adam(net.parameters(), LearningRate.stepDecay(0.01, 1, 0.5)),
                Loss.softmaxCrossEntropy()).epochs(3).batchSize(30).fit(data); // one batch, one step per epoch

        assertEquals(List.of(0.01, 0.005, 0.0025), history.epochs().stream().map(EpochResult::learningRate).toList());
    }

    @Test
    void evaluationCountsEveryClassTheModelScoresEvenWhenTheDataLacksSome() {
        Sequential net = network(1);
        Dataset twoClasses = new Dataset(blobs(10, 2).features().reshape(30, 2), new int[30]); // all labelled 0
        Evaluation e = Evaluation.of(net, twoClasses, Loss.softmaxCrossEntropy(), 8);

        assertEquals(3, e.confusion().classes());
        assertEquals(e, Evaluation.of(net, twoClasses, Loss.softmaxCrossEntropy(), 8), "equal evaluations compare equal");
    }

    @Test
    void plusL2AddsTheCoursesPenaltyWithTheTrainingSetsM() {
        Sequential net = network(1);
        Dataset data = blobs(10, 2);
        Variable out = net.forward(Variable.constant(data.features()));
        double plain = Loss.softmaxCrossEntropy().of(out, data).item();
        double regularized = Loss.softmaxCrossEntropy().plusL2(2.0, 600, net.parameters()).of(out, data).item();
        double sumOfSquares = net.parameters().stream().filter(Parameter::isWeight)
                .mapToDouble(p -> p.variable().value().mul(p.variable().value()).sum().item()).sum();

        assertEquals(plain + 2.0 / (2 * 600) * sumOfSquares, regularized, 1e-12);
    }
}
