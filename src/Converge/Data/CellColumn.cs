using System.Globalization;

namespace Converge.Data;

/// <summary>
/// One column of a <see cref="CsvTable"/>, held without a string per cell. It starts as text:
/// an id per row into a pool of the column's distinct values (so a category column of ten levels
/// costs four bytes a row). When the pool passes <see cref="MaxTextLevels"/> distinct values and
/// most of them are numbers, the column becomes numeric: a double per row (exact, as the typing
/// reads it), with the cells that are not numbers still held as text ids. A numeric column gives
/// its numbers back as text in shortest round-trip form ("1.50" reads back as "1.5"); every other
/// cell reads back exactly as the file had it. Rows live in chunks of 64Ki, so growing never
/// copies the column.
/// </summary>
internal sealed class CellColumn
{
    /// <summary>Distinct values a column holds as text before it may become numeric.</summary>
    public const int MaxTextLevels = 1 << 16;

    private const int ChunkBits = 16;
    private const int ChunkSize = 1 << ChunkBits;
    private const int ChunkMask = ChunkSize - 1;
    private const int MissingId = -1;

    // Text: _ids[chunk][i] is a pool id or MissingId. Numeric: _numbers[chunk][i] is the number, or
    // NaN for a cell that is not one; then _ids[chunk] (null when the chunk has no text) says which.
    private readonly List<int[]?> _ids = [];
    private List<double[]>? _numbers;
    private readonly List<string> _pool = [];
    private readonly List<double> _poolNumbers = [];
    private Dictionary<string, int> _lookup = new(StringComparer.Ordinal);
    private int _poolNumberCount;

    /// <summary>The number of cells.</summary>
    public int Count { get; private set; }

    /// <summary>Whether the column holds its numbers as numbers (see the class remarks).</summary>
    public bool IsNumeric => _numbers is not null;

    /// <summary>Appends a missing cell.</summary>
    public void AddMissing()
    {
        var (chunk, i) = Next();
        if (_numbers is null) _ids[chunk]![i] = MissingId;
        else
        {
            _numbers[chunk][i] = double.NaN;
            if (_ids[chunk] is { } ids) ids[i] = MissingId;
        }
        Count++;
    }

    /// <summary>Appends a present cell (not empty).</summary>
    public void Add(ReadOnlySpan<char> cell)
    {
        if (_numbers is not null)
        {
            if (TryNumber(cell, out var x))
            {
                var (c, k) = Next();
                _numbers[c][k] = x;
                if (_ids[c] is { } chunkIds) chunkIds[k] = MissingId;
                Count++;
                return;
            }
            var id = Intern(cell);
            var (chunk, i) = Next();
            _numbers[chunk][i] = double.NaN;
            (_ids[chunk] ??= NewIds())[i] = id;
            Count++;
            return;
        }
        var textId = Intern(cell);
        var (tc, ti) = Next();
        _ids[tc]![ti] = textId;
        Count++;
        if (_pool.Count > MaxTextLevels && _poolNumberCount * 2 > _pool.Count) BecomeNumeric();
    }

    /// <summary>Whether the cell is missing.</summary>
    public bool IsMissing(int row)
    {
        var (chunk, i) = (row >> ChunkBits, row & ChunkMask);
        if (_numbers is null) return _ids[chunk]![i] == MissingId;
        return double.IsNaN(_numbers[chunk][i]) && (_ids[chunk] is not { } ids || ids[i] == MissingId);
    }

    /// <summary>The cell as a number, by <see cref="TryNumber"/>; false when missing or not a number.</summary>
    public bool TryGetNumber(int row, out double value)
    {
        var (chunk, i) = (row >> ChunkBits, row & ChunkMask);
        if (_numbers is not null)
        {
            value = _numbers[chunk][i];
            return !double.IsNaN(value);
        }
        var id = _ids[chunk]![i];
        value = id == MissingId ? double.NaN : _poolNumbers[id];
        return !double.IsNaN(value);
    }

    /// <summary>The cell's text; null when missing.</summary>
    public string? Text(int row)
    {
        var (chunk, i) = (row >> ChunkBits, row & ChunkMask);
        if (_numbers is not null)
        {
            var x = _numbers[chunk][i];
            if (!double.IsNaN(x)) return x.ToString("R", CultureInfo.InvariantCulture);
            return _ids[chunk] is { } ids && ids[i] != MissingId ? _pool[ids[i]] : null;
        }
        var id = _ids[chunk]![i];
        return id == MissingId ? null : _pool[id];
    }

    /// <summary>Frees the unused end of the last chunk and the lookup once reading is done.</summary>
    public void Complete()
    {
        _lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        var used = Count & ChunkMask;
        if (used == 0 || Count == 0) return;
        var last = _ids.Count - 1;
        if (_ids[last] is { } ids) _ids[last] = ids[..used];
        if (_numbers is not null) _numbers[last] = _numbers[last][..used];
    }

    /// <summary>A number as the typing reads it: invariant, exponent allowed, finite.</summary>
    public static bool TryNumber(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private (int Chunk, int Index) Next()
    {
        var chunk = Count >> ChunkBits;
        if (chunk == _ids.Count)
        {
            if (_numbers is null) _ids.Add(NewIds());
            else
            {
                _ids.Add(null);
                _numbers.Add(new double[ChunkSize]);
            }
        }
        return (chunk, Count & ChunkMask);
    }

    private static int[] NewIds()
    {
        var ids = new int[ChunkSize];
        ids.AsSpan().Fill(MissingId);
        return ids;
    }

    private int Intern(ReadOnlySpan<char> cell)
    {
        var lookup = _lookup.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(cell, out var id)) return id;
        var text = cell.ToString();
        id = _pool.Count;
        _pool.Add(text);
        _lookup.Add(text, id);
        if (_numbers is null)
        {
            var number = TryNumber(cell, out var x) ? x : double.NaN;
            _poolNumbers.Add(number);
            if (!double.IsNaN(number)) _poolNumberCount++;
        }
        return id;
    }

    // Numbers become doubles; the other values stay in a new pool of text only.
    private void BecomeNumeric()
    {
        var numbers = new List<double[]>(_ids.Count);
        var oldPool = _pool.ToArray();
        _pool.Clear();
        _lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        var remap = new int[oldPool.Length];
        for (var p = 0; p < oldPool.Length; p++)
        {
            if (!double.IsNaN(_poolNumbers[p])) continue;
            remap[p] = _pool.Count;
            _lookup.Add(oldPool[p], _pool.Count);
            _pool.Add(oldPool[p]);
        }
        for (var c = 0; c < _ids.Count; c++)
        {
            var ids = _ids[c]!;
            var values = new double[ChunkSize];
            var text = false;
            for (var i = 0; i < ids.Length; i++)
            {
                var id = ids[i];
                values[i] = id == MissingId ? double.NaN : _poolNumbers[id];
                if (id != MissingId && double.IsNaN(values[i]))
                {
                    ids[i] = remap[id];
                    text = true;
                }
                else ids[i] = MissingId;
            }
            if (!text) _ids[c] = null;
            numbers.Add(values);
        }
        _poolNumbers.Clear();
        _poolNumbers.TrimExcess();
        _numbers = numbers;
    }
}
