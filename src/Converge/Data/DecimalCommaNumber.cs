namespace Converge.Data;

/// <summary>
/// Recognizes a number written with a decimal comma — <c>3,5</c>, <c>-1.234,56</c> (dots grouping
/// thousands), <c>1,5e-3</c> — and rewrites it with a decimal point, so the column typing downstream
/// reads it as the number it is. Anything else (text, a bare integer, <c>1,2,3</c>) is left alone.
/// </summary>
internal static class DecimalCommaNumber
{
    /// <summary>Writes the invariant form of <paramref name="cell"/> into <paramref name="destination"/> (at least as long); false when it is not a decimal-comma number.</summary>
    public static bool TryRewrite(ReadOnlySpan<char> cell, Span<char> destination, out int length)
    {
        length = 0;
        var i = 0;
        if (i < cell.Length && cell[i] is '+' or '-') destination[length++] = cell[i++];
        // Integer part: plain digits, or 1–3 digits followed by groups of '.' and exactly three digits.
        var run = 0;
        var grouped = false;
        while (i < cell.Length && cell[i] != ',')
        {
            var c = cell[i];
            if (char.IsAsciiDigit(c))
            {
                run++;
                destination[length++] = c;
            }
            else if (c == '.' && run > 0 && (grouped ? run == 3 : run <= 3))
            {
                grouped = true;
                run = 0;
            }
            else return false;
            i++;
        }
        if (grouped && run != 3) return false;
        if (i == cell.Length) return false;
        i++;
        destination[length++] = '.';
        var fraction = 0;
        while (i < cell.Length && char.IsAsciiDigit(cell[i]))
        {
            destination[length++] = cell[i++];
            fraction++;
        }
        if (fraction == 0) return false;
        if (i < cell.Length && cell[i] is 'e' or 'E')
        {
            destination[length++] = cell[i++];
            if (i < cell.Length && cell[i] is '+' or '-') destination[length++] = cell[i++];
            var exponent = 0;
            while (i < cell.Length && char.IsAsciiDigit(cell[i]))
            {
                destination[length++] = cell[i++];
                exponent++;
            }
            if (exponent == 0) return false;
        }
        return i == cell.Length;
    }
}
