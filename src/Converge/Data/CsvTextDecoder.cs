using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Converge.Data;

/// <summary>Looks at the first bytes of a stream (to refuse binary files) before any is decoded.</summary>
internal delegate void ByteSniffer(ReadOnlySpan<byte> head, string sourceName);

/// <summary>
/// Decodes a byte stream (file or pipe; it never seeks) into CSV text by <see cref="CsvEncoding"/>:
/// byte-order marks first, then UTF-8, switching to Windows-1252 at the first invalid UTF-8
/// sequence in <see cref="CsvEncoding.Auto"/> mode (with a notice naming the line), or a fixed
/// single-byte encoding. A byte encoding never silently turns 'café' into 'caf\uFFFD'.
/// </summary>
internal sealed class CsvTextDecoder : TextReader
{
    private const int BufferSize = 1 << 16;

    // Windows-1252's 0x80–0x9F; the five unassigned bytes map to the C1 control of the same number, as Windows does.
    private const string Windows1252High =
        "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F" +
        "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

    private enum Mode { Utf8, Windows1252, Latin1, Utf16 }

    private readonly Stream _stream;
    private readonly string _sourceName;
    private readonly bool _strict;
    private readonly bool _leaveOpen;
    private readonly byte[] _bytes = new byte[BufferSize];
    private readonly char[] _chars = new char[BufferSize];
    private int _byteStart;
    private int _byteEnd;
    private bool _eof;
    private int _charPos;
    private int _charEnd;
    private int _line = 1;
    private bool _sawNonAscii;
    private Mode _mode;
    private Decoder? _utf16;

    private CsvTextDecoder(Stream stream, string sourceName, CsvEncoding encoding, bool leaveOpen)
    {
        _stream = stream;
        _sourceName = sourceName;
        _leaveOpen = leaveOpen;
        _strict = encoding == CsvEncoding.Utf8;
        _mode = encoding switch
        {
            CsvEncoding.Windows1252 => Mode.Windows1252,
            CsvEncoding.Latin1 => Mode.Latin1,
            _ => Mode.Utf8,
        };
    }

    /// <summary>Bytes read from the stream so far (for progress).</summary>
    public long BytesRead { get; private set; }

    /// <summary>The notice to show when the encoding was switched on the user's behalf, else null.</summary>
    public DataNotice? Notice { get; private set; }

    /// <summary>
    /// Opens <paramref name="stream"/>: reads its first bytes, hands them to <paramref name="sniff"/>
    /// (to refuse compressed or binary files), and honours a byte-order mark.
    /// </summary>
    public static CsvTextDecoder Open(Stream stream, string sourceName, CsvEncoding encoding, bool leaveOpen, ByteSniffer? sniff)
    {
        var decoder = new CsvTextDecoder(stream, sourceName, encoding, leaveOpen);
        decoder.FillBytes();
        var head = decoder._bytes.AsSpan(0, decoder._byteEnd);
        sniff?.Invoke(head, sourceName);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) && decoder._mode == Mode.Utf8)
        {
            decoder._byteStart = 3;
        }
        else if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            decoder._mode = Mode.Utf16;
            decoder._utf16 = (head[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode).GetDecoder();
            decoder._byteStart = 2;
        }
        return decoder;
    }

    public override int Peek() => _charPos < _charEnd || Fill() ? _chars[_charPos] : -1;

    public override int Read() => _charPos < _charEnd || Fill() ? _chars[_charPos++] : -1;

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        if (buffer.IsEmpty || (_charPos == _charEnd && !Fill())) return 0;
        var n = Math.Min(buffer.Length, _charEnd - _charPos);
        _chars.AsSpan(_charPos, n).CopyTo(buffer);
        _charPos += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen) _stream.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Decodes the next chunk into the character buffer; false at the end of the stream.</summary>
    private bool Fill()
    {
        _charPos = _charEnd = 0;
        while (true)
        {
            var bytes = _bytes.AsSpan(_byteStart, _byteEnd - _byteStart);
            int read, written;
            switch (_mode)
            {
                case Mode.Utf8:
                    var status = Utf8.ToUtf16(bytes, _chars, out read, out written, replaceInvalidSequences: false, isFinalBlock: _eof);
                    if (written != read) _sawNonAscii = true;
                    if (status == OperationStatus.InvalidData && written == 0)
                    {
                        // The valid text before this byte has been handed out; the rest is read as Windows-1252.
                        SwitchFromUtf8(bytes[read]);
                        _byteStart += read;
                        continue;
                    }
                    break;
                case Mode.Utf16:
                    _utf16!.Convert(bytes, _chars, _eof, out read, out written, out _);
                    break;
                default:
                    read = written = bytes.Length;
                    for (var i = 0; i < bytes.Length; i++)
                    {
                        var b = bytes[i];
                        _chars[i] = b is >= 0x80 and <= 0x9F && _mode == Mode.Windows1252 ? Windows1252High[b - 0x80] : (char)b;
                    }
                    break;
            }
            _byteStart += read;
            if (written > 0)
            {
                _charEnd = written;
                _line += _chars.AsSpan(0, written).Count('\n');
                return true;
            }
            // Nothing decoded: either the end, or a character split across reads that needs more bytes.
            if (_eof) return false;
            FillBytes();
        }
    }

    private void SwitchFromUtf8(byte first)
    {
        if (_strict)
            throw new DataError(_sourceName, _line, null, null, string.Create(CultureInfo.InvariantCulture,
                $"is not valid UTF-8 (byte 0x{first:X2}); save the file as UTF-8 or choose its encoding (e.g. --encoding windows-1252)."));
        _mode = Mode.Windows1252;
        var from = _sawNonAscii ? string.Create(CultureInfo.InvariantCulture, $" from line {_line} on (the lines before were valid UTF-8)") : "";
        Notice = new DataNotice(null, string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(_sourceName)} is not UTF-8 (byte 0x{first:X2} on line {_line}): read it as Windows-1252{from}; --encoding chooses another."));
    }

    /// <summary>Moves unread bytes to the front and reads more, until the buffer is full or the stream ends.</summary>
    private void FillBytes()
    {
        if (_byteStart > 0)
        {
            _bytes.AsSpan(_byteStart, _byteEnd - _byteStart).CopyTo(_bytes);
            _byteEnd -= _byteStart;
            _byteStart = 0;
        }
        while (!_eof && _byteEnd < _bytes.Length)
        {
            var n = _stream.Read(_bytes, _byteEnd, _bytes.Length - _byteEnd);
            if (n == 0) _eof = true;
            _byteEnd += n;
            BytesRead += n;
            // A pipe delivers what it has; one read is enough unless the head is still too short to sniff.
            if (n > 0 && _byteEnd >= 4096) break;
        }
    }
}
