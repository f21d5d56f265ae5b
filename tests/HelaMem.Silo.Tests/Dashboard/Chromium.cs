using Microsoft.Playwright;

namespace HelaMem.Silo.Tests.Dashboard;

/// <summary>
/// The machine's Debian chromium (<c>apt-get install -y --no-install-recommends chromium</c>) driven by Playwright:
/// never a browser Playwright downloads. A missing chromium fails the test with the command that installs it.
/// </summary>
internal static class Chromium
{
    /// <summary>Where Debian installs it.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    /// <summary>Starts Playwright's driver and the system chromium in a fresh profile in <paramref name="profileDirectory"/>.</summary>
    public static async Task<(IPlaywright Playwright, IBrowserContext Browser)> LaunchAsync(string profileDirectory)
    {
        Assert.True(File.Exists(ExecutablePath),
            $"The dashboard's browser tests need Debian's chromium at {ExecutablePath}: install it with 'apt-get install -y --no-install-recommends chromium' (Playwright must not download a browser).");

        // Belt and braces: nothing in this process may make Playwright fetch a browser build.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchPersistentContextAsync(profileDirectory, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Arguments,
                ViewportSize = new ViewportSize { Width = 1360, Height = 900 },
                Locale = "en-GB",
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
