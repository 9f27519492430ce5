using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Palisade.Core.Control;

namespace Palisade.Daemon;

/// <summary>
/// The local control socket: a root-only Unix socket taking one JSON request per line and answering one JSON line.
/// Requests are handed to the host loop, so they see a consistent state.
/// </summary>
internal sealed class ControlServer : IDisposable
{
    private readonly string _path;
    private readonly Func<ControlRequest, Task<ControlResponse>> _handle;
    private readonly ILogger _log;
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();

    public ControlServer(string path, Func<ControlRequest, Task<ControlResponse>> handle, ILogger log)
    {
        _path = path;
        _handle = handle;
        _log = log;
    }

    public void Start()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        File.Delete(_path);
        _listener.Bind(new UnixDomainSocketEndPoint(_path));
        File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _listener.Listen(16);
        Log.Listening(_log, _path);
        _ = AcceptLoop();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Serve(client);
        }
    }

    private async Task Serve(Socket client)
    {
        using var stream = new NetworkStream(client, ownsSocket: true);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
        try
        {
            var line = await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false);
            ControlResponse response;
            try
            {
                var request = JsonSerializer.Deserialize<ControlRequest>(line ?? "", ControlProtocol.Json);
                response = request?.Command is null
                    ? new ControlResponse(false, Error: "request must be a JSON object with a 'command'")
                    : await _handle(request).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                response = new ControlResponse(false, Error: $"malformed request: {ex.Message}");
            }

            await writer.WriteLineAsync(JsonSerializer.Serialize(response, ControlProtocol.Json)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
        {
            Log.ControlFailed(_log, ex.Message);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
            // best effort: a stale socket file is replaced at the next start
        }
    }
}
