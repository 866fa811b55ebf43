"""Reference quality numbers from scikit-learn for Converge's quality tests.

For each table it uses one FIXED split anyone can reproduce without a random
generator: validation = rows whose 0-based index i satisfies i % 4 == 3,
train = every other row. It fits

    make_pipeline(StandardScaler(), MLPClassifier(random_state=0, max_iter=2000))

(all other settings at their defaults: one hidden layer of 100 ReLU units, Adam
with lr 1e-3, batch_size=min(200, n), L2 alpha=1e-4, early_stopping=False) on
the training rows and prints validation accuracy, ROC AUC and log loss.

Tables (paths relative to this script):
  (a) ../breast-cancer/breast-cancer.csv: 30 numeric features, target
      diagnosis, positive class (1) = "malignant".
  (b) the heart-rate series hr.11839 (src/Converge/Data/Datasets/hr.11839.csv
      in the repository): x = bpm, y = 1 if bpm > 91 (strict) else 0.

Usage: python3 sklearn_baselines.py > sklearn_baselines.txt
"""
import csv
import os
import platform
import sys
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))


def load_breast_cancer_csv():
    path = os.path.join(HERE, "..", "breast-cancer", "breast-cancer.csv")
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    assert header[-1] == "diagnosis"
    x = np.array([[float(v) for v in r[:-1]] for r in body])
    y = np.array([1 if r[-1] == "malignant" else 0 for r in body])
    return x, y


def load_heart_rate():
    path = os.path.join(REPO, "src", "Converge", "Data", "Datasets", "hr.11839.csv")
    with open(path) as fh:
        lines = fh.read().split()
    assert lines[0] == "bpm"
    bpm = np.array([float(v) for v in lines[1:]])
    return bpm.reshape(-1, 1), (bpm > 91).astype(int)


def run(name, x, y):
    idx = np.arange(len(y))
    val = idx % 4 == 3
    xt, yt, xv, yv = x[~val], y[~val], x[val], y[val]
    model = make_pipeline(StandardScaler(), MLPClassifier(random_state=0, max_iter=2000))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model.fit(xt, yt)
    mlp = model[-1]
    proba = model.predict_proba(xv)[:, 1]
    pred = model.predict(xv)
    print(f"[{name}]")
    print(f"rows={len(y)} features={x.shape[1]} train={len(yt)} (positives {int(yt.sum())}) "
          f"validation={len(yv)} (positives {int(yv.sum())})")
    print(f"n_iter={mlp.n_iter_} final_train_loss={mlp.loss_!r} "
          f"converged={not any(issubclass(w.category, ConvergenceWarning) for w in caught)}")
    print(f"validation_accuracy={accuracy_score(yv, pred)!r}")
    print(f"validation_roc_auc={roc_auc_score(yv, proba)!r}")
    print(f"validation_log_loss={log_loss(yv, proba)!r}")
    print()


def main():
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, "
          f"python {platform.python_version()}")
    print("split: validation = 0-based row index i with i % 4 == 3, train = the rest")
    print("model: make_pipeline(StandardScaler(), MLPClassifier(random_state=0, max_iter=2000))")
    print()
    run("breast-cancer (positive = malignant)", *load_breast_cancer_csv())
    run("heart-rate hr.11839 (x = bpm, y = bpm > 91)", *load_heart_rate())
    sys.stdout.flush()


if __name__ == "__main__":
    main()
