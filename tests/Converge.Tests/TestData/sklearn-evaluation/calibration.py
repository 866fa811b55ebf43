"""Reference values for Converge's probability calibration (Training/ProbabilityCalibration.cs), from
scikit-learn 1.2.1 on the table and fixed model of generate.py (run that first; it writes table.csv):

    /usr/bin/python3 calibration.py   # writes calibration.json next to this script

Platt: sklearn.calibration._sigmoid_calibration on f = logit(clip(p, 1e-7, 1 - 1e-7)), which is what
CalibratedClassifierCV(method="sigmoid") fits. Isotonic: IsotonicRegression(out_of_bounds="clip"), as
CalibratedClassifierCV(method="isotonic") fits, with its knots and its predictions on a grid.
"""
import json
import os

import numpy as np
from sklearn.calibration import _sigmoid_calibration
from sklearn.isotonic import IsotonicRegression

HERE = os.path.dirname(os.path.abspath(__file__))
W = np.array([1.5, -2.0, 0.75, 0.0])
B = 0.25
data = np.loadtxt(os.path.join(HERE, "table.csv"), delimiter=",", skiprows=1)
x, y = data[:, :4], data[:, 4].astype(np.int64)
p = (1 / (1 + np.exp(-(B + x @ W)))).astype(np.float32)

q = np.clip(p, np.float32(1e-7), np.float32(1 - 1e-7)).astype(np.float64)
f = np.log(q / (1 - q))
a, b = _sigmoid_calibration(f, y)

iso = IsotonicRegression(out_of_bounds="clip").fit(p.astype(np.float64), y)
grid = np.linspace(0, 1, 101)

with open(os.path.join(HERE, "calibration.json"), "w") as out:
    json.dump({
        "platt": {"a": float(a), "b": float(b)},
        "isotonic": {
            "x": iso.X_thresholds_.tolist(),
            "y": iso.y_thresholds_.tolist(),
            "grid": grid.tolist(),
            "predicted": iso.predict(grid).tolist(),
        },
    }, out, indent=1)
