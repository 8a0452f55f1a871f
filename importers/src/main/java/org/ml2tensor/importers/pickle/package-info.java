/**
 * A safe reader for Python pickle and joblib files: a pickle virtual machine of its own that builds
 * inert values ({@link org.ml2tensor.importers.pickle.PyValue}), accepts only allowlisted globals, never
 * calls anything, and bounds every length, nesting level and decompressed size.
 */
package org.ml2tensor.importers.pickle;
