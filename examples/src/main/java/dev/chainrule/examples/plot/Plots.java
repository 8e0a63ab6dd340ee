package dev.chainrule.examples.plot;

import static com.google.common.base.Preconditions.checkArgument;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Module;
import dev.chainrule.nn.data.Dataset;
import dev.chainrule.nn.io.AtomicFiles;
import dev.chainrule.nn.train.EpochResult;
import dev.chainrule.nn.train.Evaluation;
import dev.chainrule.nn.train.History;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The pictures of a training run, drawn with XChart: the loss curve and a 2-D classifier's decision regions. */
public final class Plots {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 600;
    /** Light region colours and strong point colours, one pair per class; classes beyond them reuse them. */
    private static final Color[] REGION = {new Color(0xC6DBEF), new Color(0xFDD0A2), new Color(0xC7E9C0)};
    private static final Color[] POINT = {new Color(0x08519C), new Color(0xD94801), new Color(0x238B45)};

    private Plots() {}

    /**
     * @param history a finished run, at least one epoch
     * @return the training loss per epoch, and the validation loss when the run had one, on a log scale when every
     *     loss is positive
     */
    public static XYChart lossCurve(History history) {
        checkArgument(!history.epochs().isEmpty(), "Plots.lossCurve: the history has no epoch");
        double[] validation = history.last().hasValidation()
                ? history.epochs().stream().mapToDouble(EpochResult::validationLoss).toArray() : null;
        return lossCurve("epoch", history.losses(), validation);
    }

    /**
     * @param step what one point is: {@code epoch}, {@code iteration}, …
     * @param training the training loss at steps 1, 2, …, at least one
     * @param validation the validation loss at the same steps, or null
     * @return the curves, on a log scale when every loss is positive
     */
    public static XYChart lossCurve(String step, double[] training, double[] validation) {
        checkArgument(training.length > 0, "Plots.lossCurve: no loss to draw");
        checkArgument(validation == null || validation.length == training.length,
                "Plots.lossCurve: %s training losses but %s validation losses", training.length,
                validation == null ? 0 : validation.length);
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Loss per " + step)
                .xAxisTitle(step).yAxisTitle("loss").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        // A loss falls by orders of magnitude: a log scale shows the whole run; it needs every value positive.
        chart.getStyler().setYAxisLogarithmic(Arrays.stream(training).allMatch(l -> l > 0)
                && (validation == null || Arrays.stream(validation).allMatch(l -> l > 0)));
        double[] steps = IntStream.rangeClosed(1, training.length).asDoubleStream().toArray();
        chart.addSeries("training", steps, training).setMarker(SeriesMarkers.NONE);
        if (validation != null) {
            chart.addSeries("validation", steps, validation).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /**
     * The class a model predicts at every point of a grid over the data's bounding box, drawn as coloured
     * regions, with the data's points on top.
     *
     * @param model a classifier of 2 features
     * @param data its points, 2 features each
     * @param resolution the grid's points along each axis, at least 2
     * @return the chart
     */
    public static XYChart decisionRegions(Module model, Dataset data, int resolution) {
        checkArgument(data.featureCount() == 2, "Plots.decisionRegions: the data has %s features; expected 2",
                data.featureCount());
        checkArgument(data.size() > 0, "Plots.decisionRegions: the data has no points");
        checkArgument(resolution >= 2, "Plots.decisionRegions: resolution %s; expected at least 2", resolution);
        double[] box = paddedBoundingBox(data.features());
        double[] grid = new double[2 * resolution * resolution];
        for (int i = 0; i < resolution; i++) {
            for (int j = 0; j < resolution; j++) {
                int row = i * resolution + j;
                grid[2 * row] = box[0] + (box[1] - box[0]) * j / (resolution - 1);
                grid[2 * row + 1] = box[2] + (box[3] - box[2]) * i / (resolution - 1);
            }
        }
        Tensor points = Tensor.adopt(Shape.of(resolution * resolution, 2), grid);
        int[] regions = Evaluation.predict(model, points);

        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Decision regions").xAxisTitle("x")
                .yAxisTitle("y").build();
        XYStyler style = chart.getStyler();
        style.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        style.setMarkerSize(Math.max(2, 560 / resolution + 1)).setLegendPosition(Styler.LegendPosition.OutsideE);
        style.setXAxisMin(box[0]).setXAxisMax(box[1]).setYAxisMin(box[2]).setYAxisMax(box[3]);
        int classes = Math.max(data.classes(), Arrays.stream(regions).max().getAsInt() + 1);
        for (int c = 0; c < classes; c++) {
            addClass(chart, "region " + c, points, regions, c, REGION[c % REGION.length])
                    .setMarker(SeriesMarkers.SQUARE);
        }
        for (int c = 0; c < data.classes(); c++) {
            addClass(chart, "class " + c, data.features(), data.labels(), c, POINT[c % POINT.length])
                    .setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** Adds the rows of {@code xy} labelled {@code label} as one series; XChart needs at least one point. */
    private static XYSeries addClass(XYChart chart, String name, Tensor xy, int[] labels, int label, Color color) {
        double[] xs = new double[labels.length];
        double[] ys = new double[labels.length];
        int n = 0;
        for (int row = 0; row < labels.length; row++) {
            if (labels[row] == label) {
                xs[n] = xy.get(row, 0);
                ys[n++] = xy.get(row, 1);
            }
        }
        XYSeries series = n == 0 ? chart.addSeries(name, new double[] {Double.NaN}, new double[] {Double.NaN})
                : chart.addSeries(name, Arrays.copyOf(xs, n), Arrays.copyOf(ys, n));
        series.setMarkerColor(color);
        return series;
    }

    /** {xMin, xMax, yMin, yMax} of the points, widened by 5% on each side. */
    private static double[] paddedBoundingBox(Tensor xy) {
        double[] box = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        for (int row = 0; row < xy.shape().dim(0); row++) {
            for (int axis = 0; axis < 2; axis++) {
                box[2 * axis] = Math.min(box[2 * axis], xy.get(row, axis));
                box[2 * axis + 1] = Math.max(box[2 * axis + 1], xy.get(row, axis));
            }
        }
        for (int axis = 0; axis < 2; axis++) {
            double pad = Math.max(0.05 * (box[2 * axis + 1] - box[2 * axis]), 1e-3);
            box[2 * axis] -= pad;
            box[2 * axis + 1] += pad;
        }
        return box;
    }

    /**
     * Writes a chart as a PNG, atomically: a crash leaves the previous picture, never half of one.
     *
     * @param chart the chart
     * @param file the PNG file; its folder must exist
     * @throws IOException if the file cannot be written
     */
    public static void savePng(XYChart chart, Path file) throws IOException {
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
