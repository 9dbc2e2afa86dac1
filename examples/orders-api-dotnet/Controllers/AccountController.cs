using Microsoft.AspNetCore.Mvc;
using Orders.Api.Models;
using Orders.Api.Services;

namespace Orders.Api.Controllers;

[ApiController]
[Route("api/account")]
public class AccountController : ControllerBase
{
    private readonly ITokenService _tokens;

    public AccountController(ITokenService tokens) => _tokens = tokens;

    [HttpPost("login")]
    // ok: AP101 (sign-in is public by design)
    public async Task<IActionResult> Login(LoginRequest request) =>
        await _tokens.IssueAsync(request.Email, request.Password) is { } token ? Ok(token) : Unauthorized();

    [HttpPost("register")]
    // ok: AP101 (sign-up is public by design)
    public async Task<IActionResult> Register(RegisterRequest request) => Ok(await _tokens.RegisterAsync(request));

    [HttpPost("pin")]
    [Microsoft.AspNetCore.Authorization.Authorize]
    // ok: AP101
    public async Task<IActionResult> CheckPin(PinRequest request)
    {
        var account = await _tokens.FindAccountAsync(User.Identity!.Name!);
        // ruleid: AP202 (the stored password is compared as text)
        return account.Password == request.Password ? NoContent() : Forbid();
    }

    [HttpPost("api-keys")]
    // ruleid: AP101 (issuing API keys is not a public flow)
    public async Task<IActionResult> CreateApiKey(ApiKeyRequest request) => Ok(await _tokens.CreateApiKeyAsync(request));
}
