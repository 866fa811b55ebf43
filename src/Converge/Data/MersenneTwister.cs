namespace Converge.Data;

/// <summary>
/// MT19937 with numpy's legacy <c>RandomState(int)</c> behaviour, enough to reproduce
/// scikit-learn's <c>make_circles</c> bit for bit: <c>init_genrand</c> seeding (not
/// <c>init_by_array</c>), 53-bit doubles, masked-rejection bounded integers and the polar
/// Box–Muller normal that caches its second value.
/// </summary>
internal sealed class MersenneTwister
{
    private const int N = 624;
    private const int M = 397;

    private readonly uint[] _state = new uint[N];
    private int _index;
    private bool _hasGauss;
    private double _gauss;

    public MersenneTwister(uint seed)
    {
        _state[0] = seed;
        for (var i = 1; i < N; i++)
        {
            var prev = _state[i - 1];
            _state[i] = unchecked(1812433253u * (prev ^ (prev >> 30)) + (uint)i);
        }
        _index = N;
    }

    public uint NextUInt32()
    {
        if (_index >= N) Twist();
        var y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680u;
        y ^= (y << 15) & 0xEFC60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>A double in [0, 1) from 27 high bits of one word and 26 of the next (numpy's random_sample).</summary>
    public double NextDouble()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary>
    /// An integer uniform in [0, max] by numpy's legacy rule: mask words to the smallest 2^k − 1 ≥ max
    /// and redraw until the masked value is ≤ max. Different from Lemire or modulo, on purpose.
    /// </summary>
    public uint NextBounded(uint max)
    {
        if (max == 0) return 0;
        var mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        while (true)
        {
            var v = NextUInt32() & mask;
            if (v <= max) return v;
        }
    }

    /// <summary>numpy's legacy <c>standard_normal</c>: the polar (Marsaglia) method; the second variate is kept for the next call.</summary>
    public double NextGaussian()
    {
        if (_hasGauss)
        {
            _hasGauss = false;
            return _gauss;
        }
        double x1, x2, r2;
        do
        {
            x1 = 2.0 * NextDouble() - 1.0;
            x2 = 2.0 * NextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        }
        while (r2 >= 1.0 || r2 == 0.0);
        var f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        _gauss = f * x1;
        _hasGauss = true;
        return f * x2;
    }

    private void Twist()
    {
        for (var i = 0; i < N; i++)
        {
            var y = (_state[i] & 0x80000000u) | (_state[(i + 1) % N] & 0x7FFFFFFFu);
            var v = _state[(i + M) % N] ^ (y >> 1);
            if ((y & 1) != 0) v ^= 0x9908B0DFu;
            _state[i] = v;
        }
        _index = 0;
    }
}
