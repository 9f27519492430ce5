using System.Globalization;

namespace Palisade.Bench;

/// <summary>A plain-text table: a title, a header row, left-aligned labels and right-aligned numbers.</summary>
internal sealed class TextTable(string title, params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(string label, params double[] values) =>
        _rows.Add([label, .. values.Select(Cell)]);

    public void AddText(params string[] cells) => _rows.Add(cells);

    public static string Cell(double value) =>
        double.IsNaN(value) ? "-" : value.ToString("F0", CultureInfo.InvariantCulture);

    public void Write(TextWriter output)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => i < r.Length ? r[i].Length : 0))).ToList();
        string Line(IReadOnlyList<string> cells) => string.Join(" | ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));
        output.WriteLine();
        output.WriteLine(title);
        output.WriteLine(Line(headers));
        output.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in _rows)
        {
            output.WriteLine(Line(row));
        }
    }
}
