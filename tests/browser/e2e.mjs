// End-to-end test of the volunteer search page in headless Chromium.
//
//   node tests/browser/e2e.mjs [path/to/wegwijzer]
//
// Starts the real server on free loopback ports, drives Debian's Chromium with
// playwright-core, and saves screenshots under target/browser-screenshots/. Exits
// non-zero on the first failed check; prints "N passed, 0 failed" when all pass.

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/// Runs axe-core on the page as it is now; returns the serious and critical violations.
async function axe(page, state) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  console.log(`axe (${state}): ${result.violations.length} violations, ${bad.length} serious or critical` +
    (bad.length ? `: ${bad.map((v) => `${v.id} (${v.nodes.length})`).join(", ")}` : ""));
  return bad;
}
const binary = process.argv[2] || join(root, "target", "debug", "wegwijzer");
const shots = join(root, "target", "browser-screenshots");
mkdirSync(shots, { recursive: true });

let passed = 0;
function check(condition, what) {
  if (!condition) throw new Error(`failed: ${what}`);
  passed += 1;
  console.log(`ok - ${what}`);
}

function startServer() {
  const data = mkdtempSync(join(tmpdir(), "wegwijzer-e2e-"));
  const server = spawn(binary, [
    "serve", "--addr", "127.0.0.1:0", "--web-addr", "127.0.0.1:0",
    "--catalog", join(root, "catalog"), "--data-dir", data,
  ], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  const web = new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${log}`)), 120_000);
    server.stderr.on("data", (chunk) => {
      log += chunk;
      const m = log.match(/web page serving addr=(127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    server.on("exit", (code) => fail(new Error(`server exited with ${code}:\n${log}`)));
  });
  return { server, web, log: () => log };
}

const { server, web, log } = startServer();
let browser;
try {
  const addr = await web;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: `http://${addr}` });
  const page = await context.newPage();
  await page.goto(`http://${addr}/`);
  const start = page.url();
  check((await page.getAttribute("html", "lang")) === "nl", "the page is in Dutch (lang=nl)");
  await page.waitForSelector("#filter-gemeente option[value=Dordrecht]", { state: "attached" });

  check((await axe(page, "empty page")).length === 0, "axe: no serious or critical problems on the empty page");

  // Every form control has a label a screen reader can announce.
  const unlabelled = await page.$$eval("input, select, textarea", (els) =>
    els.filter((e) => e.type !== "hidden" && e.labels.length === 0 && !e.getAttribute("aria-label"))
      .map((e) => e.id || e.name || e.outerHTML.slice(0, 60)));
  check(unlabelled.length === 0, `every form control has a label (${unlabelled.join(", ") || "none missing"})`);

  // A misspelled query, typed as a volunteer would: suggestions, then the right offering.
  await page.click("#zoekvraag");
  await page.keyboard.type("finacieel hulphuis", { delay: 30 });
  await page.waitForFunction(() =>
    document.querySelector("#lijst li h3")?.textContent === "Financieel Hulphuis", null, { timeout: 10_000 });
  check(true, "a misspelled query finds Financieel Hulphuis first");
  const label = await page.textContent("#lijst li .label");
  check(label.includes("Voor iedereen, zonder verwijzing"), `the tier is shown as a plain label (${label})`);
  await page.screenshot({ path: join(shots, "zoeken-tikfout.png"), fullPage: true });

  await page.fill("#zoekvraag", "");
  await page.keyboard.type("Financ", { delay: 30 });
  await page.waitForSelector("#suggesties li button", { timeout: 10_000 });
  const firstSuggestion = await page.textContent("#suggesties li button");
  check(firstSuggestion === "Financieel Hulphuis", `suggestions complete what is typed (${firstSuggestion})`);
  await page.keyboard.press("ArrowDown");
  check(await page.evaluate(() => document.activeElement?.textContent === "Financieel Hulphuis"),
    "suggestions are reachable by keyboard");
  await page.keyboard.press("Escape");

  // Crisis language typed into Search, as a caller says it: a banner above everything
  // and the crisis line first, marked.
  await page.fill("#zoekvraag", "");
  await page.keyboard.type("mijn vriend slaat me als hij gedronken heeft", { delay: 10 });
  await page.waitForSelector("#advies.crisis:not([hidden])", { timeout: 10_000 });
  await page.waitForFunction(() =>
    document.querySelector("#lijst > li.crisis h3")?.textContent === "Veilig Thuis", null, { timeout: 10_000 });
  const banner = await page.textContent("#advies");
  const firstHit = await page.$eval("#lijst > li", (li) => li.querySelector("h3").textContent);
  check(banner.includes("Veilig Thuis") && firstHit === "Veilig Thuis",
    `crisis language in Search raises the banner and puts the crisis line first (${firstHit})`);
  await page.fill("#zoekvraag", "");

  // A crisis case through the help-request form: the crisis line comes first.
  await page.fill("#leeftijd", "34");
  await page.selectOption("#gemeente", "Dordrecht");
  await page.selectOption("#onderwerp-1", "geestelijke_gezondheid");
  await page.selectOption("#score-1", "2");
  await page.check("#signaal-suicidaal");
  await page.fill("#omschrijving", "Zegt dat hij niet meer wil leven.");
  await page.click("#hulpvraag button[type=submit]");
  await page.waitForSelector("#advies:not([hidden])", { timeout: 10_000 });
  await page.waitForSelector("#lijst > li", { timeout: 10_000 });
  const first = await page.$eval("#lijst > li", (li) => ({ crisis: li.classList.contains("crisis"), name: li.querySelector("h3").textContent }));
  check(first.crisis && first.name.includes("113"), `the crisis line is first and stands out (${first.name})`);
  const advice = await page.textContent("#advies");
  check(advice.includes("Veiligheid eerst"), "the advice above the results puts safety first");
  check(await page.isVisible("#printen"), "the list can be printed or shared");
  await page.screenshot({ path: join(shots, "hulpvraag-crisis.png"), fullPage: true });
  await page.setViewportSize({ width: 900, height: 900 });
  await page.$eval("#resultaten", (e) => e.scrollIntoView());
  await page.screenshot({ path: join(shots, "resultaten.png") });

  check(page.url() === start, "nothing typed ends up in the URL");

  check((await axe(page, "after a help request")).length === 0, "axe: none after a help request");

  // The answer on screen first: after a search the first result is visible without
  // scrolling, on a laptop and on a phone.
  for (const [width, height, name] of [[1280, 800, "laptop"], [390, 844, "telefoon"]]) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.fill("#zoekvraag", "");
    await page.keyboard.press("Escape");
    await page.click("#zoekvraag");
    const t0 = Date.now();
    await page.keyboard.type("schulden", { delay: 20 });
    await page.waitForFunction(() => /schuld/i.test(document.querySelector("#lijst > li h3")?.textContent || ""),
      null, { timeout: 10_000 });
    const ms = Date.now() - t0;
    await page.keyboard.press("Escape");
    check(await page.inputValue("#zoekvraag") === "schulden", `${name}: Escape closes the suggestions and keeps the query`);
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = await page.$eval("#lijst > li", (li) => {
      const r = li.getBoundingClientRect();
      return { top: r.top, height: r.height };
    });
    await page.screenshot({ path: join(shots, `eerste-scherm-${name}.png`), fullPage: false });
    check(box.top >= 0 && box.top + 40 <= height,
      `${name} ${width}×${height}: the first result is on screen without scrolling (top ${Math.round(box.top)} px; results ${ms} ms after typing started)`);
    if (name === "telefoon") {
      check((await axe(page, "phone layout after a search")).length === 0, "axe: none in the phone layout");
    } else {
      check((await axe(page, "after a search")).length === 0, "axe: none after a search");
    }
  }

  // How to get there: a phone number is a link to call, and a result copies as text.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.fill("#zoekvraag", "");
  await page.keyboard.type("113 zelfmoordpreventie", { delay: 10 });
  await page.waitForFunction(() => document.querySelector("#lijst > li a[href^='tel:']"), null, { timeout: 10_000 });
  const tel = await page.$eval("#lijst > li a[href^='tel:']", (a) => a.getAttribute("href"));
  check(/^tel:\+?\d+$/.test(tel), `a phone number is a tel: link (${tel})`);
  await page.click("#lijst > li .kopieer");
  await page.waitForFunction(() => document.querySelector("#status")?.textContent.includes("gekopieerd"), null, { timeout: 5_000 });
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  check(copied.startsWith("113 Zelfmoordpreventie") && copied.includes("Volgende stap:") && !copied.includes("zelfmoordpreventie\n"),
    "Kopieer puts the result's name, route and next step on the clipboard");
  check(await page.isVisible("#kopieer-lijst"), "the whole list can be copied too");

  // "/" jumps to the search box from anywhere.
  await page.click("h1");
  await page.keyboard.press("/");
  check(await page.evaluate(() => document.activeElement?.id === "zoekvraag"), "the / key focuses the search box");

  // Readable on a phone.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  check(!overflow, "no sideways scrolling on a phone-sized screen");
  await page.screenshot({ path: join(shots, "telefoon.png"), fullPage: false });

  // Nothing typed reached the server log.
  check(!log().includes("finacieel") && !log().includes("niet meer wil leven") && !log().includes("gedronken"),
    "typed text is not logged");

  console.log(`screenshots in ${shots}`);
  console.log(`${passed} passed, 0 failed`);
} catch (e) {
  console.error(e.message);
  console.log(`${passed} passed, 1 failed`);
  process.exitCode = 1;
} finally {
  if (browser) await browser.close();
  server.kill("SIGTERM");
}
