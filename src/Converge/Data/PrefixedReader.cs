namespace Converge.Data;

/// <summary>A text reader that replays an already-read prefix, then continues with the rest of another reader.</summary>
internal sealed class PrefixedReader(string prefix, TextReader rest, bool leaveOpen) : TextReader
{
    private int _position;

    public override int Peek() => _position < prefix.Length ? prefix[_position] : rest.Peek();

    public override int Read() => _position < prefix.Length ? prefix[_position++] : rest.Read();

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        if (_position >= prefix.Length) return rest.Read(buffer);
        var n = Math.Min(buffer.Length, prefix.Length - _position);
        prefix.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen) rest.Dispose();
        base.Dispose(disposing);
    }
}
