package org.ml2tensor.runtime.io;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * Progress of a {@link StreamingPredict} run, reported after each block.
 *
 * @param rowsDone      rows predicted and written so far
 * @param rowsTotal     all rows, when the input format tells (NPY)
 * @param fractionDone  0..1 from rows or bytes read, NaN when unknown (e.g. standard input)
 * @param rowsPerSecond average throughput since the start
 * @param elapsed       time since the start
 */
public record Progress(long rowsDone, OptionalLong rowsTotal, double fractionDone, double rowsPerSecond, Duration elapsed) {
}
