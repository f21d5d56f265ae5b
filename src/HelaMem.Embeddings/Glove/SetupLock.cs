namespace HelaMem.Embeddings.Glove;

/// <summary>
/// An exclusive, cross-process lock held as an open lock file. On Unix .NET backs <see cref="FileShare.None"/>
/// with <c>flock(LOCK_EX)</c>, on Windows with a sharing-mode deny, so a second process (or a second opener in the
/// same process) fails to open it until the holder disposes — and a crashed holder releases it automatically.
/// The file itself is never deleted: deleting a lock file others are waiting on would let two holders in.
/// </summary>
internal sealed class SetupLock : IDisposable
{
    private readonly FileStream stream;

    private SetupLock(FileStream stream) => this.stream = stream;

    public static async Task<SetupLock> AcquireAsync(string path, TimeSpan pollInterval, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var reported = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new SetupLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException exception) when (IsHeldElsewhere(exception))
            {
                if (!reported)
                {
                    progress?.Report($"Waiting for another setup that holds {path} ({exception.Message})");
                    reported = true;
                }

                await Task.Delay(pollInterval, cancellationToken);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new GloveSetupException($"Cannot open the setup lock file '{path}': {exception.Message}", exception);
            }
        }
    }

    public void Dispose() => stream.Dispose();

    /// <summary>
    /// True when the open failed only because someone else holds the lock: errno EWOULDBLOCK from flock (11 on
    /// Linux, 35 on macOS) or a Windows sharing/lock violation. Any other I/O error (read-only disk, no
    /// permission) is a real failure and must not turn into waiting forever.
    /// </summary>
    private static bool IsHeldElsewhere(IOException exception) => exception.HResult switch
    {
        11 when OperatingSystem.IsLinux() => true,
        35 when OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() => true,
        unchecked((int)0x80070020) or unchecked((int)0x80070021) => true,
        _ => false,
    };
}
