using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Orders.Api.Data;
using Orders.Api.Models;

namespace Orders.Api.Controllers;

[ApiController]
[Route("api/[controller]")]
[Authorize]
public class OrdersController : ControllerBase
{
    private readonly OrdersDbContext _db;

    public OrdersController(OrdersDbContext db) => _db = db;

    [HttpGet("{id:int}")]
    // ok: AP101
    // ruleid: AP103 (any signed-in user reads any order by its id)
    public async Task<ActionResult<Order>> Get(int id) => await _db.Orders.FindAsync(id) is { } order ? order : NotFound();

    [HttpPost]
    // ok: AP101 (the controller's [Authorize] applies)
    public async Task<IActionResult> Create(CreateOrderRequest request)
    {
        var order = new Order { CustomerId = User.Identity!.Name!, Total = request.Total };
        _db.Orders.Add(order);
        await _db.SaveChangesAsync();
        return CreatedAtAction(nameof(Get), new { id = order.Id }, order);
    }

    [HttpDelete("{id:int}")]
    [Authorize(Roles = "Admin")]
    // ok: AP101
    public async Task<IActionResult> Delete(int id)
    {
        await _db.Orders.Where(o => o.Id == id).ExecuteDeleteAsync();
        return NoContent();
    }
}
