namespace Palisade.Daemon.Tests;

/// <summary>Time that moves only when the test moves it; timestamps and wall clock move together.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; private set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Now.UtcTicks;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>A watchdog device that keeps what was written and whether it was closed.</summary>
internal sealed class RecordingDevice : MemoryStream
{
    public bool Closed { get; private set; }

    public string Written => System.Text.Encoding.ASCII.GetString(Bytes);

    public byte[] Bytes { get; private set; } = [];

    public bool FailWrites { get; set; }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (FailWrites)
        {
            throw new IOException("No such device");
        }

        base.Write(buffer);
        Bytes = ToArray();
    }

    protected override void Dispose(bool disposing)
    {
        Bytes = ToArray();
        Closed = true;
        base.Dispose(disposing);
    }
}
