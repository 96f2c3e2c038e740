// SPDX-License-Identifier: MIT
// judge label's page in a real browser: Debian's headless Chromium (/usr/bin/chromium) driven by
// puppeteer-core. Starts `judge label` on a copy of examples/notebooks with a new labels file, labels two
// dimensions of one notebook with the keyboard only (digit, Tab, text, Ctrl+Enter; N, Tab, text,
// Ctrl+Enter), reloads the page and checks both are shown, then stops the server and checks the file's rows
// and that `judge align` reads the file.
// Usage: node label_page.test.js JUDGE_BINARY SOURCE_DIR [--screenshot PNG]
// Exit: 0 pass, 1 fail, 77 skipped (Chromium or puppeteer-core missing, outside CI).
"use strict";
const { spawn, spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const CHROMIUM = process.env.JUDGE_CHROMIUM || "/usr/bin/chromium";
const [judge, source] = process.argv.slice(2, 4);
const shotAt = process.argv.indexOf("--screenshot");
const screenshot = shotAt > 0 ? path.resolve(process.argv[shotAt + 1]) : null;

function missing(what) {
  if (process.env.CI === "true") {
    console.error(`CI=true, and this test cannot run: ${what}`);
    process.exit(1);
  }
  console.error(`skipped: ${what}`);
  process.exit(77);
}

let puppeteer;
try {
  puppeteer = require("puppeteer-core");
} catch (e) {
  missing("puppeteer-core is not installed (run npm ci in tests/browser; scripts/test does)");
}
if (!fs.existsSync(CHROMIUM)) missing(`no Chromium at ${CHROMIUM} (Debian package chromium; scripts/deps --test installs it)`);

function check(cond, what) {
  if (!cond) throw new Error("check failed: " + what);
}

// Minimal RFC 4180 reader for the labels file (quoted fields with commas, quotes and line breaks).
function parseCsv(text) {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n") { row.push(field); rows.push(row); row = []; field = ""; }
    else if (c !== "\r") field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(process.env.TMPDIR || os.tmpdir(), "judge_label_browser_"));
  try {
    await run(tmp);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function run(tmp) {
  const notebooks = path.join(tmp, "nb");
  const labels = path.join(tmp, "labels.csv");
  fs.mkdirSync(notebooks);
  const examples = path.join(source, "examples", "notebooks");
  for (const f of fs.readdirSync(examples)) fs.copyFileSync(path.join(examples, f), path.join(notebooks, f));

  const server = spawn(judge, ["label", "--notebooks", notebooks, "--labels", labels, "--rater", "browser"],
                       { stdio: ["ignore", "pipe", "inherit"] });
  let browser;
  try {
    const url = await new Promise((resolve, reject) => {
      let out = "";
      server.stdout.on("data", (d) => {
        out += d;
        const m = out.match(/^(http:\/\/\S+)\n/);
        if (m) resolve(m[1]);
      });
      server.on("exit", (code) => reject(new Error(`judge label exited (${code}) before printing its URL`)));
      setTimeout(() => reject(new Error("judge label printed no URL within 20 s")), 20000);
    });
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true,
                                       args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
    const page = await browser.newPage();
    await page.setViewport({ width: 1500, height: 950 });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("requestfailed", (r) => errors.push("request failed: " + r.url()));
    page.on("request", (r) => { if (!r.url().startsWith(url) && !r.url().startsWith("data:")) errors.push("external request: " + r.url()); });
    await page.goto(url + "#nb=iris_bad.ipynb");
    await page.waitForSelector("body[data-ready='1']", { timeout: 20000 });
    check(await page.$eval("#notebook h2", (e) => e.textContent) === "iris_bad.ipynb", "iris_bad.ipynb is shown");
    // The header under it: the format's name, the language and the cells (iris_bad.ipynb: 4 cells).
    const header = await page.$eval("#notebook h2 + p", (e) => e.textContent);
    check(header === "ipynb, python, 4 cells", `the header says "ipynb, python, 4 cells" (${header})`);

    // First dimension (library_installation): 2, Tab, feedback, Ctrl+Enter.
    const savedText = (i) => page.$eval(`.dim[data-index="${i}"] .saved`, (e) => e.textContent);
    await page.keyboard.press("2");
    await page.keyboard.press("Tab");
    check(await page.evaluate(() => document.activeElement.dataset.dimension) === "library_installation",
          "Tab moves to the first dimension's feedback");
    await page.keyboard.type('Imports scattered, "pip" missing');
    await page.keyboard.down("Control");
    await page.keyboard.press("Enter");
    await page.keyboard.up("Control");
    await page.waitForFunction(() => document.querySelector('.dim[data-index="0"] .saved').textContent.startsWith("saved "), { timeout: 10000 });
    check(await page.$eval(".dim.current", (e) => e.dataset.dimension) === "exploratory_data_analysis",
          "after a save the next dimension is current");
    // Second dimension: N (N/A), Tab, feedback, Ctrl+Enter.
    await page.keyboard.press("n");
    await page.keyboard.press("Tab");
    await page.keyboard.type("No data is explored.");
    await page.keyboard.down("Control");
    await page.keyboard.press("Enter");
    await page.keyboard.up("Control");
    await page.waitForFunction(() => document.querySelector('.dim[data-index="1"] .saved').textContent.startsWith("saved "), { timeout: 10000 });
    check((await savedText(1)).startsWith("saved "), "second label saved");

    // Reload: both labels come back from the server.
    await page.reload();
    await page.waitForSelector("body[data-ready='1']", { timeout: 20000 });
    const shown = await page.evaluate(() => {
      const dim = (i) => document.querySelector(`.dim[data-index="${i}"]`);
      return [0, 1].map((i) => ({
        on: [...dim(i).querySelectorAll("button.on")].map((b) => b.dataset.score),
        feedback: dim(i).querySelector("textarea").value,
      }));
    });
    check(JSON.stringify(shown[0]) === JSON.stringify({ on: ["2"], feedback: 'Imports scattered, "pip" missing' }),
          "first label kept after reload: " + JSON.stringify(shown[0]));
    check(JSON.stringify(shown[1]) === JSON.stringify({ on: ["na"], feedback: "No data is explored." }),
          "second label kept after reload: " + JSON.stringify(shown[1]));
    // J goes to the next notebook, K back.
    await page.keyboard.press("j");
    await page.waitForFunction(() => document.querySelector("#notebook h2").textContent === "sales_eda_no_model.ipynb", { timeout: 10000 });
    await page.keyboard.press("k");
    await page.waitForFunction(() => document.querySelector("#notebook h2").textContent === "iris_bad.ipynb", { timeout: 10000 });
    check(errors.length === 0, "no page errors or external requests: " + errors.join("; "));
    if (screenshot) {
      await page.screenshot({ path: screenshot });
      console.log("screenshot: " + screenshot);
    }
  } finally {
    if (browser) await browser.close();
    server.kill("SIGTERM");
    await new Promise((r) => (server.exitCode !== null ? r() : server.on("exit", r)));
  }

  // The file: the header and exactly the two rows, as judge align reads them.
  const rows = parseCsv(fs.readFileSync(labels, "utf8"));
  check(rows[0].join(",") === "notebook,dimension,rater,score,feedback,timestamp", "header: " + rows[0]);
  check(rows.length === 3, "two rows: " + JSON.stringify(rows));
  check(rows[1].slice(0, 5).join("|") === 'iris_bad.ipynb|library_installation|browser|2|Imports scattered, "pip" missing', "row 1: " + rows[1]);
  check(rows[2].slice(0, 5).join("|") === "iris_bad.ipynb|exploratory_data_analysis|browser|NA|No data is explored.", "row 2: " + rows[2]);
  check(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(rows[1][5]), "timestamp: " + rows[1][5]);
  const align = spawnSync(judge, ["align", "--labels", labels, "--notebooks", notebooks, "--memory", path.join(tmp, "mem")],
                          { encoding: "utf8" });
  check(align.status === 0, "judge align reads the file: " + align.stderr);
  check(/2 episodes/.test(align.stdout), "judge align made 2 episodes: " + align.stdout);
  console.log("label page: keyboard labelling, reload and the labels file all pass");
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
