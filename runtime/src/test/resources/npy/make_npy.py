"""Writes the small .npy fixtures read by NpyReaderTest (run from this folder: python3 make_npy.py).

Values: v[r, c] = (r * 3 + c) * 0.1 - 0.7 computed in float64 (the test recomputes them the same way),
stored as float32 or float64 in several byte orders, memory orders and format versions.
"""
import numpy as np

base = np.arange(15, dtype=np.float64).reshape(5, 3) * 0.1 - 0.7

np.save("c_f4_le.npy", base.astype("<f4"))
np.save("c_f8_be.npy", base.astype(">f8"))
np.save("f_f4_be.npy", np.asfortranarray(base.astype(">f4")))
np.save("f_f8_le.npy", np.asfortranarray(base.astype("<f8")))
with open("v2_f4.npy", "wb") as f:
    np.lib.format.write_array(f, base.astype("<f4"), version=(2, 0))
with_nan = base.astype("<f4")
with_nan[2, 1] = np.nan
np.save("nan_f4.npy", with_nan)
np.save("int64.npy", np.arange(6, dtype="<i8").reshape(3, 2))
np.save("one_d.npy", np.arange(4, dtype="<f4"))
