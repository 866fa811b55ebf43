"""Reference values for Converge's Brier score, calibration bins, ECE, threshold curve and permutation
importance, from scikit-learn. Run once with Debian's python3-sklearn (1.2.1, numpy 1.24):

    /usr/bin/python3 generate.py   # writes table.csv and expected.json next to this script

The table: 300 rows, four features x1..x4 (4 decimals) and a 0/1 label drawn from a logistic model
that uses x1, x2 and x3 (not x4), on purpose a little miscalibrated against the "model" below.
The "model" scored everywhere (here and in the C# test) is fixed: p = float32(sigmoid(b + w·x)).
"""
import json
import os

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import calibration_curve
from sklearn.inspection import permutation_importance
from sklearn.metrics import brier_score_loss, roc_curve, precision_recall_curve

HERE = os.path.dirname(os.path.abspath(__file__))
W = np.array([1.5, -2.0, 0.75, 0.0])
B = 0.25

rng = np.random.RandomState(7)
x = np.round(rng.normal(size=(300, 4)), 4)
true_logit = 0.8 * (x @ np.array([1.2, -1.6, 0.9, 0.0])) + 0.4
y = (rng.uniform(size=300) < 1 / (1 + np.exp(-true_logit))).astype(np.int64)

with open(os.path.join(HERE, "table.csv"), "w") as f:
    f.write("x1,x2,x3,x4,y\n")
    for row, label in zip(x, y):
        f.write(",".join(f"{v:.4f}" for v in row) + f",{label}\n")
x = np.loadtxt(os.path.join(HERE, "table.csv"), delimiter=",", skiprows=1, usecols=(0, 1, 2, 3))


def probabilities(features):
    z = B + features @ W
    return (1 / (1 + np.exp(-z))).astype(np.float32).astype(np.float64)


class FixedModel(ClassifierMixin, BaseEstimator):
    def fit(self, features, labels):
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, features):
        p = probabilities(features)
        return np.column_stack([1 - p, p])

    def predict(self, features):
        return (probabilities(features) >= 0.5).astype(np.int64)


p = probabilities(x)
model = FixedModel().fit(x, y)

bins = np.linspace(0.0, 1.0, 11)
binids = np.searchsorted(bins[1:-1], p)
counts = np.bincount(binids, minlength=10)
prob_true, prob_pred = calibration_curve(y, p, n_bins=10, strategy="uniform")
nonzero = counts[counts > 0]
# ECE is not in scikit-learn; it is the count-weighted mean gap over calibration_curve's own bins.
ece = float(np.sum(nonzero / len(p) * np.abs(prob_true - prob_pred)))

fpr, tpr, roc_thresholds = roc_curve(y, p, drop_intermediate=False)
precision, recall, pr_thresholds = precision_recall_curve(y, p)

expected = {
    "brier_score": float(brier_score_loss(y, p)),
    "calibration": {
        "counts": counts.tolist(),
        "fraction_positive": prob_true.tolist(),
        "mean_predicted": prob_pred.tolist(),
        "ece": ece,
    },
    "roc_curve": {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds": roc_thresholds[1:].tolist()},
    "pr_curve": {"precision": precision[:-1][::-1].tolist(), "recall": recall[:-1][::-1].tolist(), "thresholds": pr_thresholds[::-1].tolist()},
    "permutation_importance": {},
}
for scoring, name in [("roc_auc", "roc_auc"), ("neg_log_loss", "log_loss"), ("accuracy", "accuracy")]:
    r = permutation_importance(model, x, y, scoring=scoring, n_repeats=5, random_state=42)
    expected["permutation_importance"][name] = {
        "seed": 42,
        "repeats": 5,
        "mean": r.importances_mean.tolist(),
        "std": r.importances_std.tolist(),
        "drops": r.importances.tolist(),
    }

with open(os.path.join(HERE, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")
