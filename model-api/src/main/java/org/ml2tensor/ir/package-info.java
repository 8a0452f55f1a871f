/**
 * The model IR: what importers (scikit-learn pickles, XGBoost, LightGBM) produce and what lowerings
 * turn into ONNX graphs. Records and sealed interfaces only; arrays are owned by the IR once built.
 */
package org.ml2tensor.ir;
