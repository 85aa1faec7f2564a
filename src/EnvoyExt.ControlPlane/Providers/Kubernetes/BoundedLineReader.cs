namespace EnvoyExt.ControlPlane.Providers.Kubernetes;

/// <summary>
/// Reads newline-separated records (watch events) from a stream into one buffer that grows only up
/// to the bound: a record longer than <c>maxLineBytes</c> fails once that many bytes have arrived
/// without a newline, so a server sending an endless line costs at most the bound in memory.
/// </summary>
internal sealed class BoundedLineReader(Stream stream, int maxLineBytes)
{
    private const int InitialBytes = 64 * 1024;
    private byte[] _buffer = new byte[Math.Min(InitialBytes, maxLineBytes + 1)];
    private int _start;
    private int _end;

    /// <summary>
    /// The next record without its line ending, valid until the next call; null at the end of the
    /// stream. Throws <see cref="InvalidDataException"/> for a record longer than the bound.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken ct)
    {
        var scanned = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = scanned + newline;
                var line = _buffer.AsMemory(_start, length);
                _start += length + 1;
                return length > 0 && line.Span[^1] == (byte)'\r' ? line[..^1] : line;
            }

            scanned = _end - _start;
            if (scanned > maxLineBytes)
            {
                throw new InvalidDataException($"a record is longer than {maxLineBytes} bytes");
            }

            MakeRoom();
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
            if (read == 0)
            {
                if (_end == _start)
                {
                    return null;
                }

                var last = _buffer.AsMemory(_start, _end - _start);
                _start = _end;
                return last;
            }

            _end += read;
        }
    }

    /// <summary>Moves the pending bytes to the front, and grows the buffer (never past bound + 1) when they fill it.</summary>
    private void MakeRoom()
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            _start = 0;
            _end = pending;
        }

        if (_end == _buffer.Length)
        {
            var grown = new byte[(int)Math.Min(_buffer.Length * 2L, maxLineBytes + 1L)];
            _buffer.AsSpan(0, pending).CopyTo(grown);
            _buffer = grown;
        }
    }
}
