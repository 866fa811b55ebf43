namespace Converge.Tests.Evaluation;

/// <summary>
/// 200 deterministic probabilities and labels, reproducible in Python for the scikit-learn
/// cross-check: for i = 1..200, f = frac(sin(i)·10000); p = float32(f), or float32((⌊20f⌋ + 0.5)/20)
/// when quantized (many ties); y = 1 when frac(cos(i)·777) &lt; p.
/// </summary>
internal static class SyntheticScores
{
    // The same Python, run with Debian's python3-sklearn 1.2.1, produced the reference numbers in the tests:
    //   import math, numpy as np
    //   def frac(x): return x - math.floor(x)
    //   p, y = [], []
    //   for i in range(1, 201):
    //       f = frac(math.sin(i) * 10000)
    //       v = float(np.float32((math.floor(f * 20) + 0.5) / 20 if quantized else f))
    //       p.append(v); y.append(1 if frac(math.cos(i) * 777) < v else 0)
    //   p = np.array(p); y = np.array(y)
    //   roc_auc_score(y, p); average_precision_score(y, p); log_loss(y, p); f1_score(y, (p >= 0.5).astype(int))
    //   prec, rec, thr = precision_recall_curve(y, p); f1s = 2 * prec * rec / (prec + rec)
    //   k = int(np.nanargmax(f1s[:-1])); f1s[k], thr[k]
    public static (float[] Probabilities, float[] Labels) Make(bool quantized)
    {
        var p = new float[200];
        var y = new float[200];
        for (var i = 1; i <= 200; i++)
        {
            var f = Frac(Math.Sin(i) * 10000);
            p[i - 1] = (float)(quantized ? (Math.Floor(f * 20) + 0.5) / 20 : f);
            y[i - 1] = Frac(Math.Cos(i) * 777) < p[i - 1] ? 1 : 0;
        }
        return (p, y);
    }

    private static double Frac(double x) => x - Math.Floor(x);
}
