/**
 * Data for training: a {@link dev.chainrule.nn.data.Dataset} of features and labels, seeded
 * {@link dev.chainrule.nn.data.Batches}, train/validation splits, one-hot labels, a
 * {@link dev.chainrule.nn.data.Standardizer} fitted on training data only, and readers for CSV
 * ({@link dev.chainrule.nn.data.CsvReader}) and IDX files ({@link dev.chainrule.nn.data.IdxReader},
 * {@link dev.chainrule.nn.data.FashionMnistFiles}).
 *
 * <p>The readers refuse malformed input with a {@link dev.chainrule.nn.data.MalformedDataException} whose one-line
 * message names the file, the line or byte, what was expected and what came; they skip nothing silently, and
 * never allocate more than the file can hold.
 */
package dev.chainrule.nn.data;
