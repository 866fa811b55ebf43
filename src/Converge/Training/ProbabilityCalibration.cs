namespace Converge.Training;

/// <summary>How a model's probabilities are recalibrated after training.</summary>
public enum CalibrationMethod
{
    /// <summary>The network's probability as it is.</summary>
    None,

    /// <summary>Platt scaling: a logistic regression on the logit of the probability (scikit-learn's <c>_sigmoid_calibration</c> on logit(p)).</summary>
    Platt,

    /// <summary>Isotonic regression: the best monotone step map, linear between its knots (scikit-learn's method="isotonic").</summary>
    Isotonic,
}

/// <summary>
/// A monotone map from a network's (or an ensemble's mean) probability to a calibrated one, fitted on
/// rows the networks did not train on, saved in the model and applied by every scoring path and the
/// ONNX export.
/// </summary>
/// <remarks>
/// Platt: p′ = 1 / (1 + exp(A·f + B)) with f = logit(p), p clamped to [<see cref="LogitClamp"/>, 1 − <see cref="LogitClamp"/>];
/// A and B minimize the cross-entropy against Platt's smoothed targets (N₊ + 1)/(N₊ + 2) and 1/(N₋ + 2), as
/// scikit-learn's <c>_sigmoid_calibration</c> (which starts from A = 0, B = log((N₋ + 1)/(N₊ + 1)); the loss is convex,
/// so Newton's method here reaches the same minimum). Isotonic: pool-adjacent-violators on (p, y) sorted by p, tied
/// p merged first, interior knots of flat runs dropped, then linear interpolation and clipping outside the knots — as
/// scikit-learn's <c>IsotonicRegression(out_of_bounds="clip")</c>; the interpolation runs in float32 in the ONNX
/// export's steps, so both give the same bits.
/// </remarks>
public sealed record ProbabilityCalibration
{
    /// <summary>The smallest distance from 0 or 1 at which a probability's logit is taken.</summary>
    public const float LogitClamp = 1e-7f;

    /// <summary>The largest Platt coefficient a model file may hold (a fitted one is a few units; beyond float range it would overflow).</summary>
    public const double MaxCoefficient = 1e6;

    /// <summary>The most knots an isotonic map may have (a model file with more is refused).</summary>
    public const int MaxKnots = 100_000;

    /// <summary>Platt or Isotonic.</summary>
    public required CalibrationMethod Method { get; init; }

    /// <summary>Platt's slope on the logit (negative for a model that ranks the right way).</summary>
    public double A { get; init; }

    /// <summary>Platt's intercept.</summary>
    public double B { get; init; }

    /// <summary>Isotonic knots: probabilities, strictly increasing.</summary>
    public IReadOnlyList<double> X { get; init; } = [];

    /// <summary>Isotonic values at the knots, non-decreasing, in [0, 1].</summary>
    public IReadOnlyList<double> Y { get; init; } = [];

    /// <summary>The calibrated probability of <paramref name="p"/>.</summary>
    public float Apply(float p)
    {
        if (Method == CalibrationMethod.Platt)
        {
            var q = Math.Clamp(p, LogitClamp, 1 - LogitClamp);
            var f = MathF.Log(q / (1 - q));
            return 1f / (1f + MathF.Exp((float)A * f + (float)B));
        }
        if (Method != CalibrationMethod.Isotonic) return p;
        if (X.Count == 1) return (float)Y[0];
        // In float32, in exactly the steps of the ONNX export (OnnxExporter.AddCalibration), so both give the same
        // bits: a plateau (dy = 0) returns its value exactly, and a threshold sitting on it labels its rows alike.
        var c = Math.Clamp(p, (float)X[0], (float)X[^1]);
        var k = 0;
        for (int lo = 0, hi = X.Count - 1; lo <= hi;)
        {
            var mid = (lo + hi) >>> 1;
            if (c >= (float)X[mid]) { k = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        k = Math.Min(k, X.Count - 2);
        var (x0, x1, y0, y1) = ((float)X[k], (float)X[k + 1], (float)Y[k], (float)Y[k + 1]);
        return y0 + ((c - x0) / (x1 - x0) * (y1 - y0));
    }

    /// <summary>Calibrates <paramref name="probabilities"/> in place.</summary>
    public void Apply(Span<float> probabilities)
    {
        for (var i = 0; i < probabilities.Length; i++) probabilities[i] = Apply(probabilities[i]);
    }

    /// <summary>Fits <paramref name="method"/> on probabilities and their 0/1 labels (both classes present).</summary>
    public static ProbabilityCalibration Fit(CalibrationMethod method, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels) => method switch
    {
        CalibrationMethod.Platt => FitPlatt(probabilities, labels),
        CalibrationMethod.Isotonic => FitIsotonic(probabilities, labels),
        _ => throw new ArgumentOutOfRangeException(nameof(method), $"ProbabilityCalibration.Fit: there is nothing to fit for {method}."),
    };

    /// <summary>Platt scaling (see the remarks).</summary>
    public static ProbabilityCalibration FitPlatt(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels)
    {
        Check(probabilities, labels);
        var n = probabilities.Length;
        var f = new double[n];
        var t = new double[n];
        var positives = 0;
        for (var i = 0; i < n; i++) positives += labels[i] == 1 ? 1 : 0;
        double negatives = n - positives;
        for (var i = 0; i < n; i++)
        {
            var q = Math.Clamp(probabilities[i], LogitClamp, 1 - LogitClamp);
            f[i] = Math.Log((double)q / (1 - (double)q));
            t[i] = labels[i] == 1 ? (positives + 1.0) / (positives + 2.0) : 1.0 / (negatives + 2.0);
        }
        double a = 0, b = Math.Log((negatives + 1.0) / (positives + 1.0));
        var loss = PlattLoss(f, t, a, b);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            // P = σ(−(A·f + B)); ∂L/∂A = Σ (T − P)·f, ∂L/∂B = Σ (T − P); the Hessian is Σ P(1 − P)·[f², f; f, 1].
            double gA = 0, gB = 0, hAA = 0, hAB = 0, hBB = 0;
            for (var i = 0; i < n; i++)
            {
                var p = 1 / (1 + Math.Exp(a * f[i] + b));
                var r = t[i] - p;
                var w = p * (1 - p);
                (gA, gB) = (gA + r * f[i], gB + r);
                (hAA, hAB, hBB) = (hAA + w * f[i] * f[i], hAB + w * f[i], hBB + w);
            }
            if (Math.Abs(gA) + Math.Abs(gB) < 1e-10 * n) break;
            // A tiny ridge keeps the step defined when every f is equal (the Hessian is then singular).
            hAA += 1e-12; hBB += 1e-12;
            var det = hAA * hBB - hAB * hAB;
            var (dA, dB) = ((hBB * gA - hAB * gB) / det, (hAA * gB - hAB * gA) / det);
            var step = 1.0;
            double next;
            while ((next = PlattLoss(f, t, a - step * dA, b - step * dB)) > loss && step > 1e-10) step /= 2;
            if (next > loss) break;
            (a, b) = (a - step * dA, b - step * dB);
            var improvement = loss - next;
            loss = next;
            if (improvement < 1e-14 * Math.Max(1, loss)) break;
        }
        return new ProbabilityCalibration { Method = CalibrationMethod.Platt, A = a, B = b };
    }

    private static double PlattLoss(double[] f, double[] t, double a, double b)
    {
        double loss = 0;
        for (var i = 0; i < f.Length; i++)
        {
            // −[T·log P + (1 − T)·log(1 − P)] with z = A·f + B, P = σ(−z), in a form that cannot overflow.
            var z = a * f[i] + b;
            var softplus = z > 0 ? z + double.LogP1(Math.Exp(-z)) : double.LogP1(Math.Exp(z));
            loss += softplus - (1 - t[i]) * z;
        }
        return loss;
    }

    /// <summary>Isotonic regression (see the remarks).</summary>
    public static ProbabilityCalibration FitIsotonic(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels)
    {
        Check(probabilities, labels);
        var order = new int[probabilities.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var keys = probabilities.ToArray();
        Array.Sort(keys, order);

        // Tied probabilities become one point: their mean label, weighted by their count.
        var xs = new List<double>();
        var ys = new List<double>();
        var ws = new List<double>();
        for (var i = 0; i < keys.Length;)
        {
            var j = i;
            double sum = 0;
            while (j < keys.Length && keys[j] == keys[i]) sum += labels[order[j++]];
            xs.Add(keys[i]);
            ys.Add(sum / (j - i));
            ws.Add(j - i);
            i = j;
        }

        // Pool adjacent violators: blocks of (mean, weight, first point), merged while a block's mean falls below the previous one's.
        var means = new List<double>();
        var weights = new List<double>();
        var starts = new List<int>();
        for (var i = 0; i < xs.Count; i++)
        {
            (double m, double w, int s) = (ys[i], ws[i], i);
            while (means.Count > 0 && means[^1] >= m)
            {
                m = (means[^1] * weights[^1] + m * w) / (weights[^1] + w);
                w += weights[^1];
                s = starts[^1];
                means.RemoveAt(means.Count - 1); weights.RemoveAt(weights.Count - 1); starts.RemoveAt(starts.Count - 1);
            }
            means.Add(m); weights.Add(w); starts.Add(s);
        }
        var fitted = new double[xs.Count];
        for (var k = 0; k < means.Count; k++)
        {
            var end = k + 1 < means.Count ? starts[k + 1] : xs.Count;
            for (var i = starts[k]; i < end; i++) fitted[i] = means[k];
        }

        // Keep the first and last point and every point where the fitted value changes on either side.
        var knotX = new List<double>();
        var knotY = new List<double>();
        for (var i = 0; i < xs.Count; i++)
        {
            if (i == 0 || i == xs.Count - 1 || fitted[i - 1] != fitted[i] || fitted[i] != fitted[i + 1])
            {
                knotX.Add(xs[i]);
                knotY.Add(fitted[i]);
            }
        }
        return new ProbabilityCalibration { Method = CalibrationMethod.Isotonic, X = knotX, Y = knotY };
    }

    /// <summary>Checks a map read from a file: a known method, finite Platt coefficients, or sorted knots in [0, 1] within <see cref="MaxKnots"/>.</summary>
    /// <returns>Null when valid, else what is wrong.</returns>
    public string? Problem()
    {
        if (X is null || Y is null) return "the knot lists are missing";
        switch (Method)
        {
            case CalibrationMethod.Platt:
                return Math.Abs(A) <= MaxCoefficient && Math.Abs(B) <= MaxCoefficient && X.Count == 0 && Y.Count == 0
                    ? null : $"Platt coefficients must be numbers within ±{MaxCoefficient:G} and no knots given";
            case CalibrationMethod.Isotonic:
                if (X.Count is 0 or > MaxKnots || X.Count != Y.Count) return $"an isotonic map needs 1 to {MaxKnots:N0} knots with one value each";
                for (var i = 0; i < X.Count; i++)
                {
                    if (!(X[i] is >= 0 and <= 1) || !(Y[i] is >= 0 and <= 1)) return "isotonic knots and values must lie in [0, 1]";
                    if (i > 0 && ((float)X[i] <= (float)X[i - 1] || Y[i] < Y[i - 1])) return "isotonic knots must increase (as float32 numbers) and their values must not decrease";
                }
                return null;
            default:
                return $"unknown calibration method '{Method}'";
        }
    }

    private static void Check(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels)
    {
        if (probabilities.Length != labels.Length)
            throw new ArgumentException($"ProbabilityCalibration: {probabilities.Length} probabilities for {labels.Length} labels.", nameof(labels));
        var positives = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0f or 1f)) throw new ArgumentException($"ProbabilityCalibration: label {i} is {labels[i]}, not 0 or 1.", nameof(labels));
            if (!(probabilities[i] is >= 0f and <= 1f)) throw new ArgumentException($"ProbabilityCalibration: probability {i} is {probabilities[i]}.", nameof(probabilities));
            positives += (int)labels[i];
        }
        if (positives == 0 || positives == labels.Length)
            throw new ArgumentException("ProbabilityCalibration: the labels need both classes.", nameof(labels));
    }
}
