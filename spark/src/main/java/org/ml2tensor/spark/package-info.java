/**
 * Apache Spark integration: {@link org.ml2tensor.spark.Ml2TensorModel} (a Spark ML Transformer that
 * scores DataFrames in batches with one shared ONNX Runtime session per executor) and
 * {@link org.ml2tensor.spark.Ml2Tensor#register} (a SQL function). Models compiled by ml2tensor, or
 * scikit-learn / XGBoost / LightGBM files compiled on the driver.
 */
package org.ml2tensor.spark;
