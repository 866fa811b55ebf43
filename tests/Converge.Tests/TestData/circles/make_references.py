"""Writes the two extra circle references next to this script (run with a Python whose
scikit-learn imports; circles-500.csv itself comes from make_circles_500.py, see README.md).

  angles-250.csv : i, cos(i*step), sin(i*step) with step = 2*pi/250, from Python's math
                   module (the C library's libm), shortest round-trip decimals.
  circles-101-noise0.05-factor0.5-seed7.csv : sklearn make_circles(n_samples=101,
                   noise=0.05, factor=0.5, random_state=7), header x1,x2,label.
"""
import math
import os

from sklearn.datasets import make_circles

here = os.path.dirname(os.path.abspath(__file__))
step = 2.0 * math.pi / 250
with open(os.path.join(here, "angles-250.csv"), "w") as fh:
    fh.write("i,cos,sin\n")
    for i in range(250):
        fh.write(f"{i},{math.cos(i * step)!r},{math.sin(i * step)!r}\n")
X, y = make_circles(n_samples=101, noise=0.05, factor=0.5, random_state=7)
with open(os.path.join(here, "circles-101-noise0.05-factor0.5-seed7.csv"), "w") as fh:
    fh.write("x1,x2,label\n")
    for (a, b), lab in zip(X, y):
        fh.write(f"{float(a)!r},{float(b)!r},{int(lab)}\n")
