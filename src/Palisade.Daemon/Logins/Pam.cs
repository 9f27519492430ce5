using System.Runtime.InteropServices;
using System.Text;

namespace Palisade.Daemon.Logins;

/// <summary>
/// Checks a user name and password with PAM (libpam: pam_start, pam_authenticate, pam_acct_mgmt, pam_end) for one
/// service. The conversation answers password prompts with the password and name prompts with the user; the copies
/// handed to PAM are allocated with malloc (PAM frees them) and the call's own copy is wiped afterwards. Blocking
/// (PAM may delay a failure on purpose): call it off the request thread.
/// </summary>
internal static unsafe partial class Pam
{
    private const int Success = 0;
    private const int ConversationError = 19;
    private const int PromptEchoOff = 1;
    private const int PromptEchoOn = 2;
    private const int Silent = 0x8000;

    /// <summary>True when PAM accepts <paramref name="user"/>'s password and account; else false with PAM's reason.</summary>
    public static (bool Ok, string Why) Check(string service, string user, string password)
    {
        var secret = Encoding.UTF8.GetBytes(password + "\0");
        var name = Encoding.UTF8.GetBytes(user + "\0");
        try
        {
            fixed (byte* s = secret, n = name)
            {
                var answers = new Answers { User = n, Password = s };
                var conv = new Conversation { Converse = &Converse, AppData = &answers };
                var status = pam_start(service, user, &conv, out var handle);
                if (status != Success)
                {
                    return (false, $"PAM could not start service {service} (error {status})");
                }

                status = pam_authenticate(handle, Silent);
                var step = "authentication";
                if (status == Success)
                {
                    status = pam_acct_mgmt(handle, Silent);
                    step = "account check";
                }

                var why = status == Success ? "accepted" : $"{step} refused: {Marshal.PtrToStringUTF8(pam_strerror(handle, status))}";
                _ = pam_end(handle, status);
                return (status == Success, why);
            }
        }
        finally
        {
            Array.Clear(secret);
        }
    }

    [UnmanagedCallersOnly]
    private static int Converse(int count, Message** messages, Response** responses, void* appData)
    {
        if (count <= 0 || count > 32)
        {
            return ConversationError;
        }

        var answers = (Answers*)appData;
        var replies = (Response*)NativeMemory.AllocZeroed((nuint)count, (nuint)sizeof(Response));
        for (var i = 0; i < count; i++)
        {
            replies[i].Text = messages[i]->Style switch
            {
                PromptEchoOff => Duplicate(answers->Password),
                PromptEchoOn => Duplicate(answers->User),
                _ => null,
            };
        }

        *responses = replies;
        return Success;
    }

    /// <summary>A malloc'd copy of a NUL-terminated string, for PAM to free.</summary>
    private static byte* Duplicate(byte* text)
    {
        var length = 0;
        while (text[length] != 0)
        {
            length++;
        }

        var copy = (byte*)NativeMemory.Alloc((nuint)length + 1);
        new ReadOnlySpan<byte>(text, length + 1).CopyTo(new Span<byte>(copy, length + 1));
        return copy;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Message
    {
        public int Style;
        public byte* Text;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Response
    {
        public byte* Text;
        public int ReturnCode;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Conversation
    {
        public delegate* unmanaged<int, Message**, Response**, void*, int> Converse;
        public void* AppData;
    }

    private struct Answers
    {
        public byte* User;
        public byte* Password;
    }

    [LibraryImport("libpam.so.0", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int pam_start(string service, string user, Conversation* conversation, out IntPtr handle);

    [LibraryImport("libpam.so.0")]
    private static partial int pam_authenticate(IntPtr handle, int flags);

    [LibraryImport("libpam.so.0")]
    private static partial int pam_acct_mgmt(IntPtr handle, int flags);

    [LibraryImport("libpam.so.0")]
    private static partial int pam_end(IntPtr handle, int status);

    [LibraryImport("libpam.so.0")]
    private static partial IntPtr pam_strerror(IntPtr handle, int error);
}
