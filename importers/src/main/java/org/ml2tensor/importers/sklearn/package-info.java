/**
 * scikit-learn models onto the model IR: {@link org.ml2tensor.importers.sklearn.SklearnImporter} reads a
 * pickle or joblib file safely and converts it with the converter that
 * {@link org.ml2tensor.importers.sklearn.SklearnRegistry} holds for the estimator's Python class.
 */
package org.ml2tensor.importers.sklearn;
