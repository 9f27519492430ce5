using System.Globalization;
using Microsoft.AspNetCore.Http;
using Palisade.Daemon.Intake;

namespace Palisade.Daemon.Api;

/// <summary>Query parameters the API's lists share.</summary>
internal static class ApiQuery
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 10_000;

    /// <summary><c>?limit=N</c> (1..<see cref="MaxLimit"/>, default <see cref="DefaultLimit"/>); null after answering 400.</summary>
    public static int? Limit(HttpContext context)
    {
        var text = context.Request.Query["limit"].FirstOrDefault();
        if (text is null)
        {
            return DefaultLimit;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit)
        {
            return limit;
        }

        _ = IntakeServer.Problem(context, 400, $"limit must be a whole number from 1 to {MaxLimit}, got '{text}'");
        return null;
    }
}
