using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using Orders.Api.Data;

var builder = WebApplication.CreateBuilder(args);
// ok: AP201 (the connection string comes from configuration)
builder.Services.AddDbContext<OrdersDbContext>(o => o.UseSqlServer(builder.Configuration.GetConnectionString("Orders")));
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
{
    options.TokenValidationParameters = new TokenValidationParameters
    {
        ValidIssuer = "https://id.orders.example",
        ValidAudience = "orders-api",
        // ruleid: AP201 (the signing key is written into the code)
        IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("orders-signing-key-3f9Q!x7Lw2Zp")),
        // ruleid: AP203 (expired tokens are accepted)
        ValidateLifetime = false,
    };
});
builder.Services.AddAuthorization();
builder.Services.AddCors(o => o.AddPolicy("frontend", policy =>
    // ruleid: AP301 (every origin is allowed, with credentials)
    policy.SetIsOriginAllowed(_ => true)
        .AllowAnyHeader()
        .AllowCredentials()));
builder.Services.AddControllers();

var app = builder.Build();
app.UseCors("frontend");
app.UseAuthentication();
app.UseAuthorization();
app.MapControllers();
app.Run();
