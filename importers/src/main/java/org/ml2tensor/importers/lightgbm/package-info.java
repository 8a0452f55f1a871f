/**
 * LightGBM model importer: {@link org.ml2tensor.importers.lightgbm.LightgbmImporter} reads text models
 * ({@code Booster.save_model}) into a {@link org.ml2tensor.ir.TreeEnsemble}, without Python or the
 * native library.
 */
package org.ml2tensor.importers.lightgbm;
