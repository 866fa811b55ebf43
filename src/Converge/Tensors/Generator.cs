namespace Converge.Tensors;

/// <summary>
/// A seeded, counter-based random stream (SplitMix64): value i of seed s is a pure function of
/// (s, i), so the same seed gives bit-identical numbers on every run and machine. It is the
/// stream that the benchmark workloads use to define their data and initial weights.
/// <para>
/// Like <c>torch.manual_seed</c>, <see cref="Default"/> is one process-wide stream that every module
/// built without its own generator draws from and advances, so two layers built one after the other
/// get different weights; <see cref="ManualSeed"/> restarts it. Drawing is thread-safe (a counter
/// taken atomically), but threads that share <see cref="Default"/> interleave their draws: pass an
/// explicit generator wherever the numbers must not depend on what else runs.
/// </para>
/// </summary>
public sealed class Generator
{
    private ulong _seed;
    private ulong _counter;

    /// <summary>A stream at position 0 of <paramref name="seed"/>.</summary>
    public Generator(ulong seed) => _seed = seed;

    /// <summary>The process-wide default stream (seed 0 at start-up), as PyTorch's default CPU generator.</summary>
    public static Generator Default { get; } = new(0);

    /// <summary>
    /// Restarts <see cref="Default"/> at position 0 of <paramref name="seed"/> (<c>torch.manual_seed</c>)
    /// and returns it. The object is the same, so modules already holding it (Dropout) see the new stream.
    /// </summary>
    public static Generator ManualSeed(ulong seed) => Default.Reseed(seed);

    /// <summary>Restarts this stream at position 0 of <paramref name="seed"/> (<c>Generator.manual_seed</c>); returns this.</summary>
    public Generator Reseed(ulong seed)
    {
        _seed = seed;
        Volatile.Write(ref _counter, 0);
        return this;
    }

    /// <summary>The seed of the stream (<c>initial_seed()</c>).</summary>
    public ulong Seed => _seed;

    /// <summary>How many 64-bit values have been drawn.</summary>
    public ulong Position => Volatile.Read(ref _counter);

    /// <summary>SplitMix64 of (seed, i): z = seed + (i+1)·golden; two xor-shift-multiply rounds.</summary>
    public static ulong SplitMix64(ulong seed, ulong i)
    {
        unchecked
        {
            var z = seed + (i + 1) * 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>u(seed, i): a double in [0, 1) with 53 random bits.</summary>
    public static double Uniform(ulong seed, ulong i) => (SplitMix64(seed, i) >> 11) * (1.0 / (1UL << 53));

    /// <summary>normal(seed, k) by Box–Muller on u(seed, 2k) and u(seed, 2k+1).</summary>
    public static double Normal(ulong seed, ulong k) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - Uniform(seed, 2 * k))) * Math.Cos(2.0 * Math.PI * Uniform(seed, 2 * k + 1));

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64() => SplitMix64(_seed, Interlocked.Increment(ref _counter) - 1);

    /// <summary>A double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A double uniform in [low, high).</summary>
    public double NextUniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>A standard normal (Box–Muller on two uniforms).</summary>
    public double NextNormal()
    {
        var u1 = NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(1.0 - u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>An integer uniform in [0, exclusiveMax), without modulo bias (Lemire's method).</summary>
    public int NextInt(int exclusiveMax)
    {
        if (exclusiveMax <= 0) throw new ArgumentOutOfRangeException(nameof(exclusiveMax), $"Must be positive, got {exclusiveMax}.");
        return (int)(((NextUInt64() >> 32) * (ulong)exclusiveMax) >> 32);
    }

    /// <summary>Shuffles in place (Fisher–Yates from the top).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A random permutation of 0..n−1.</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (var i = 0; i < n; i++) p[i] = i;
        Shuffle<int>(p);
        return p;
    }
}
