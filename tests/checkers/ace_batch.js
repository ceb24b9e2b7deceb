// DAISY Ace for many books in one Node process and one browser: starting Node,
// loading Ace and launching Chromium cost about a quarter of checking one of
// our books. tests/checkers/epub.py runs this file, through resident.py, with
// the folder that holds Ace's node_modules as its argument.
//
// Each request is one line on stdin: the book and the report folder, separated
// by a NUL character. Each book is checked as `ace -s -f -o OUTDIR EPUB` checks
// it: Ace's own ace() with its Puppeteer runner, every document in a new page.
// The answer is one line "<status> <byte count>" and that many bytes: status 0
// once OUTDIR/report.json is written, 1 and Ace's message if it failed. EOF on
// stdin closes the browser and ends the process.

'use strict';

const path = require('path');
const readline = require('readline');
const { createRequire } = require('module');

const toolsRequire = createRequire(path.join(path.resolve(process.argv[2]), 'package.json'));
const ace = toolsRequire('@daisy/ace-core');
const logger = toolsRequire('@daisy/ace-logger');
const runner = toolsRequire('@daisy/ace-axe-runner-puppeteer');

// Ace launches the browser before each book and closes it after; here it is
// launched for the first book and closed at the end.
let launched = null;
const sharedBrowser = Object.assign(Object.create(runner), {
  launch: () => {
    launched = launched || runner.launch().catch((error) => {
      launched = null;  // the next book tries again, and says why if it fails too
      throw error;
    });
    return launched;
  },
  close: () => Promise.resolve(),
});

logger.initLogger({ verbose: false, silent: true, fileName: 'ace-cli.log' });

async function closeBrowser() {
  const browser = launched;
  launched = null;
  if (browser) {
    await browser.then(() => runner.close(), () => undefined).catch(() => undefined);
  }
}

async function check(epub, outdir) {
  try {
    await ace(epub, { cwd: process.cwd(), outdir, verbose: false, silent: true, jobId: '' }, sharedBrowser);
    return [0, ''];
  } catch (error) {
    await closeBrowser();  // a browser that failed one book gets no other: the next starts afresh
    return [1, String((error && error.message) || error || `Ace could not check ${epub} (is it there?)`)];
  }
}

function answer(status, text) {
  const bytes = Buffer.from(text, 'utf8');
  process.stdout.write(`${status} ${bytes.length}\n`);
  process.stdout.write(bytes);
}

async function main() {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const [epub, outdir] = line.split('\0');
    answer(...await check(epub, outdir));
  }
  await closeBrowser();
  process.exit(0);
}

main();
