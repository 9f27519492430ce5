namespace Palisade.Lab;

/// <summary>Waits for a condition with a deadline instead of sleeping a fixed time.</summary>
internal static class Poll
{
    /// <summary>
    /// Calls <paramref name="probe"/> until it returns null (done); a non-null result says what is still
    /// missing and ends up in the timeout message.
    /// </summary>
    public static async Task UntilAsync(
        TimeProvider time,
        TimeSpan limit,
        TimeSpan interval,
        string what,
        Func<CancellationToken, Task<string?>> probe,
        CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + limit;
        while (true)
        {
            var missing = await probe(ct);
            if (missing is null)
            {
                return;
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw new LabException($"timed out after {limit.TotalSeconds:0.#} s waiting for {what}: {missing}");
            }

            await Task.Delay(interval, time, ct);
        }
    }
}
