using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Orders.Api.Data;
using Orders.Api.Models;

namespace Orders.Api.Controllers;

[ApiController]
[Route("api/invoices")]
public class InvoicesController : ControllerBase
{
    private readonly OrdersDbContext _db;

    public InvoicesController(OrdersDbContext db) => _db = db;

    [HttpGet]
    // ok: AP101 (a read)
    public async Task<IEnumerable<Invoice>> List() => await _db.Invoices.AsNoTracking().ToListAsync();

    [HttpPut("{id:int}")]
    // ruleid: AP101 (no [Authorize] here or on the controller)
    public async Task<IActionResult> Update(int id, UpdateInvoiceRequest request)
    {
        var invoice = await _db.Invoices.FindAsync(id);
        if (invoice is null) return NotFound();
        invoice.DueDate = request.DueDate;
        await _db.SaveChangesAsync();
        return NoContent();
    }

    [HttpGet("{id:int}/void")]
    // ruleid: AP101 (a GET that voids an invoice)
    public async Task<IActionResult> Void(int id)
    {
        await _db.Invoices.Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, "void"));
        return Ok();
    }
}
