/**
 * XGBoost model importer: {@link org.ml2tensor.importers.xgboost.XgboostImporter} reads JSON and UBJSON
 * models (XGBoost 1.0–3.x, boosters gbtree and dart) into a
 * {@link org.ml2tensor.ir.TreeEnsemble}, without Python or the native library.
 */
package org.ml2tensor.importers.xgboost;
