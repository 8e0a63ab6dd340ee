/**
 * Model files: a model's tensors and metadata saved to, and loaded from, one file in the safetensors format.
 * {@link dev.chainrule.nn.io.ModelFile} writes and reads; {@link dev.chainrule.nn.io.ModelFileException} is the one
 * exception a file's content can cause.
 */
package dev.chainrule.nn.io;
