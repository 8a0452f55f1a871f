/**
 * Streaming input and output for batch prediction: CSV and NPY row readers filling reusable
 * {@link org.ml2tensor.runtime.io.RowBlock}s in bounded memory, an NPY writer, CSV prediction output
 * per the ml2tensor column contract, atomic file replacement, and
 * {@link org.ml2tensor.runtime.io.StreamingPredict} tying a reader, a predictor and a writer together.
 */
package org.ml2tensor.runtime.io;
