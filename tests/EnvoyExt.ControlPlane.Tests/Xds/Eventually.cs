namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>
/// Waits for server-side state that follows a client write with no response to wait on (a NACK,
/// an ACK). Not a timing assertion: the deadline only turns a hang into a readable failure.
/// </summary>
internal static class Eventually
{
    public static async Task True(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"gave up waiting for {what}");
            }
            await Task.Delay(5);
        }
    }
}
