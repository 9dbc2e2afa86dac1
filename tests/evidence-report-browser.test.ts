/**
 * The HTML evidence report in a real browser (Chromium, headless): it renders from a file
 * with JavaScript off, makes no request besides its own file, logs no error (a blocked
 * resource would be one under its Content-Security-Policy), draws the chart, and prints.
 *
 * It needs Chromium at /usr/bin/chromium (Debian's `chromium` package; CHROMIUM_PATH names
 * another). Without it the test fails, saying so; a developer without Chromium sets
 * API_POSTURE_SKIP_BROWSER_TESTS=1 to skip it, which CI (CI=true) ignores.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { renderHtml } from "../lib/cli/formats/html.js";
import { CRITERIA, evidenceOf } from "../lib/cli/formats/evidence.js";
import { realisticReport } from "./helpers/scan-report.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const OPT_OUT = "API_POSTURE_SKIP_BROWSER_TESTS";
const skip = !existsSync(CHROMIUM) && process.env[OPT_OUT] === "1" && process.env.CI !== "true";

const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The little of the DOM these checks read inside the page (the project compiles without the DOM library). */
interface PageElement {
  className: string;
  parentElement: PageElement | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { width: number };
  ownerDocument: { defaultView: { getComputedStyle(element: PageElement): { breakBefore: string; display: string } } };
}

interface Observed {
  requests: string[];
  errors: string[];
}

async function open(browser: Browser, url: string): Promise<{ page: Page; observed: Observed }> {
  // JavaScript off: nothing in the report may need it.
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const observed: Observed = { requests: [], errors: [] };
  page.on("request", (request) => observed.requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") observed.errors.push(message.text());
  });
  page.on("pageerror", (error) => observed.errors.push(error.message));
  await page.goto(url, { waitUntil: "load" });
  return { page, observed };
}

/** Pages of a PDF: its page objects (`/Type /Page`, not `/Pages`). */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/gu) ?? []).length;
}

test(
  "the HTML evidence report in headless Chromium",
  { skip: skip && `${OPT_OUT}=1 and no ${CHROMIUM}` },
  async (t) => {
    assert.ok(
      existsSync(CHROMIUM),
      `Chromium is needed for this test and is not at ${CHROMIUM}: install it (apt-get install -y chromium), ` +
        `name another binary in CHROMIUM_PATH, or set ${OPT_OUT}=1 to skip this test outside CI.`,
    );
    const dir = mkdtempSync(path.join(tmpdir(), "api-posture-report-"));
    const report = realisticReport({ scale: 3 });
    const file = path.join(dir, "evidence report.html");
    writeFileSync(file, renderHtml(report));
    const url = pathToFileURL(file).href;
    const evidence = evidenceOf(report);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    try {
      const { page, observed } = await open(browser, url);

      await t.test("no request but the page itself, and no console error", () => {
        assert.deepEqual(observed.requests, [url]);
        assert.deepEqual(observed.errors, []);
      });

      await t.test("the chart: an SVG with a title, a description and one bar group per criterion", async () => {
        const svg = page.locator("figure.chart svg");
        assert.equal(await svg.count(), 1);
        assert.equal(await svg.getAttribute("role"), "img");
        assert.match(
          (await page.locator("figure.chart svg > title").textContent()) ?? "",
          /Findings per Trust Services criterion/u,
        );
        assert.match(
          (await page.locator("figure.chart svg > desc").textContent()) ?? "",
          /CC6\.1: \d+ findings, \d+ high/u,
        );
        const bars = page.locator("figure.chart svg g.bar");
        assert.deepEqual(
          await bars.evaluateAll((groups: PageElement[]) => groups.map((g) => g.getAttribute("data-criterion"))),
          CRITERIA.map((c) => c.id),
        );
        for (const c of evidence.criteria) {
          const bar = page.locator(`figure.chart svg g.bar[data-criterion="${c.id}"]`);
          const severities = Object.values(c.counts).filter((n) => n > 0).length;
          assert.equal(await bar.locator("rect").count(), severities, c.id);
          assert.match((await bar.locator("text.count").textContent()) ?? "", new RegExp(`^${c.total}\\b`, "u"));
          if (c.total > 0) {
            const box = await bar.locator("rect").first().boundingBox();
            assert.ok(box && box.width > 0 && box.height > 0, `${c.id}'s bar is drawn`);
          }
        }
      });

      await t.test("the criteria table: one row per criterion with its status", async () => {
        const rows = page.locator("table.criteria tbody tr");
        assert.equal(await rows.count(), CRITERIA.length);
        for (const [i, c] of evidence.criteria.entries()) {
          const cells = await rows.nth(i).locator("td").allTextContents();
          assert.equal(cells[0], c.id);
          assert.equal(cells[3], String(c.counts.high));
          assert.equal(cells.at(-1), c.status.text);
        }
      });

      await t.test("the suppressions without a justification are called out", async () => {
        const section = page.locator("#unjustified");
        assert.ok(await section.isVisible());
        assert.equal(await section.locator("h3").textContent(), "Suppressions without a justification");
        const locations = await section.locator("tbody tr td:first-child").allTextContents();
        assert.deepEqual(
          locations,
          report.suppressions.filter((s) => s.justification.trim() === "").map((s) => `${s.file}:${s.line}`),
        );
      });

      await t.test("every table fits the page's width", async () => {
        const overflowing = await page
          .locator("table")
          .evaluateAll((tables: PageElement[]) =>
            tables
              .filter(
                (table) => table.getBoundingClientRect().width > table.parentElement!.getBoundingClientRect().width + 1,
              )
              .map((table) => table.className),
          );
        assert.deepEqual(overflowing, []);
      });

      await t.test("printing: each major section starts a page, and the PDF has several pages", async () => {
        await page.emulateMedia({ media: "print" });
        const breaks = await page
          .locator("section.major")
          .evaluateAll((sections: PageElement[]) =>
            sections.map((s) => s.ownerDocument.defaultView.getComputedStyle(s).breakBefore),
          );
        assert.ok(breaks.length >= 3);
        assert.ok(
          breaks.every((b) => b === "page"),
          breaks.join(),
        );
        assert.equal(
          await page
            .locator("thead")
            .first()
            .evaluate((el: PageElement) => el.ownerDocument.defaultView.getComputedStyle(el).display),
          "table-header-group",
        );
        const pdf = await page.pdf({ format: "A4", printBackground: true });
        assert.equal(pdf.subarray(0, 5).toString("latin1"), "%PDF-");
        assert.ok(pdfPages(pdf) > 1, `${pdfPages(pdf)} pages`);
        assert.deepEqual(observed.requests, [url], "printing made no request");
        assert.deepEqual(observed.errors, []);
      });
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
