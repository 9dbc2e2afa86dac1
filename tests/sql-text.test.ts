/**
 * What the TS/JS adapter reads from SQL text handed to a driver (AP103): the statement, its
 * table, and the equality conditions of its `WHERE` with the placeholder each one compares
 * with — and where it stops reading, so that a condition it does not understand leaves the
 * selection incomplete.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseSql, type ParsedSql } from "../lib/adapters/ts/concerns/sql-text.js";

/** `select invoices {id=p:1, user_id=p:2}`, `… incomplete`, `… counts`. */
function summary(parsed: ParsedSql | undefined): string | undefined {
  if (!parsed) return undefined;
  const conditions = parsed.conditions.map((c) => `${c.column}=${c.value}`).join(", ");
  return `${parsed.verb} ${parsed.table ?? "?"} {${conditions}}${parsed.complete ? "" : " incomplete"}${parsed.counts ? " counts" : ""}`;
}

describe("parseSql", () => {
  it("reads numbered, positional and named placeholders", () => {
    assert.equal(summary(parseSql("SELECT * FROM invoices WHERE id = $1")), "select invoices {id=p:1}");
    assert.equal(
      summary(parseSql("UPDATE invoices SET memo = ?, paid = ? WHERE id = ? AND user_id = ?")),
      "update invoices {id=q:2, user_id=q:3}",
    );
    assert.equal(summary(parseSql("DELETE FROM reports WHERE id = :id")), "delete reports {id=n:id}");
    assert.equal(summary(parseSql("SELECT * FROM users WHERE id = ${id}")), "select users {id=n:id}");
    assert.equal(summary(parseSql("SELECT * FROM t WHERE id = @id")), "select t {id=n:id}");
  });

  it("reads interpolated values, casts, aliases, quoted and qualified names", () => {
    assert.equal(summary(parseSql("SELECT * FROM invoices WHERE id = \u00000\u0000")), "select invoices {id=i:0}");
    assert.equal(
      summary(parseSql('SELECT i.* FROM public."Invoice" i WHERE i."id" = $1::uuid AND i.deleted_at IS NULL')),
      "select Invoice {id=p:1}",
    );
    assert.equal(summary(parseSql("SELECT * FROM `orders` WHERE `orders`.`id` = ?")), "select orders {id=q:0}");
    assert.equal(summary(parseSql("SELECT * FROM invoices WHERE $1 = id")), "select invoices {id=p:1}");
  });

  it("reads IN lists, ANY, constants, joins and the clauses after WHERE", () => {
    assert.equal(
      summary(parseSql("SELECT * FROM invoices WHERE id IN ($1, $2) AND status = 'open' ORDER BY id LIMIT 10")),
      "select invoices {id=p:1, status=literal}",
    );
    assert.equal(summary(parseSql("DELETE FROM invoices WHERE id = ANY($1) RETURNING id")), "delete invoices {id=p:1}");
    assert.equal(
      summary(
        parseSql(
          "SELECT l.* FROM lines l JOIN invoices i ON i.id = l.invoice_id WHERE l.invoice_id = $1 AND i.account_id = $2",
        ),
      ),
      "select lines {invoice_id=p:1, account_id=p:2}",
    );
    assert.equal(
      summary(parseSql("SELECT * FROM events WHERE created_at BETWEEN $1 AND $2 AND id = $3")),
      "select events {id=p:3}",
    );
    assert.equal(summary(parseSql("SELECT * FROM invoices")), "select invoices {}");
  });

  it("leaves OR, subqueries and function calls unread", () => {
    assert.equal(
      summary(parseSql("SELECT * FROM invoices WHERE id = $1 AND (user_id = $2 OR shared = true)")),
      "select invoices {id=p:1} incomplete",
    );
    assert.equal(
      summary(
        parseSql("SELECT * FROM invoices WHERE id = $1 AND team_id IN (SELECT team_id FROM m WHERE user_id = $2)"),
      ),
      "select invoices {id=p:1} incomplete",
    );
    assert.equal(summary(parseSql("SELECT * FROM invoices WHERE lower(code) = $1")), "select invoices {} incomplete");
    assert.equal(
      summary(parseSql("SELECT * FROM invoices WHERE id = \u00000\u0000 AND \u00001\u0000 = $2")),
      "select invoices {id=i:0} incomplete",
    );
  });

  it("says when a select only counts", () => {
    assert.equal(
      summary(parseSql("SELECT count(*) AS total FROM invoices WHERE id = $1")),
      "select invoices {id=p:1} counts",
    );
    assert.equal(summary(parseSql("SELECT 1 FROM invoices WHERE id = $1")), "select invoices {id=p:1} counts");
    assert.equal(summary(parseSql("SELECT id, total FROM invoices WHERE id = $1")), "select invoices {id=p:1}");
  });

  it("reads nothing of other statements and of several statements", () => {
    assert.equal(parseSql("INSERT INTO invoices (id) VALUES ($1)"), undefined);
    assert.equal(parseSql("WITH x AS (SELECT 1) SELECT * FROM x"), undefined);
    assert.equal(parseSql("DELETE FROM a WHERE id = $1; DELETE FROM b WHERE id = $1"), undefined);
    assert.equal(parseSql(""), undefined);
  });
});
