// One page load in headless Chromium (playwright-core, the Debian /usr/bin/chromium), for
// loadtest/bin/browser-h2.sh: opens URL in a fresh browser (empty profile: no browser cache, no
// connections, no TLS sessions), waits for the load event, and prints one JSON line: the time from
// navigation start to the load event, the resources loaded, their protocols (nextHopProtocol) and
// the connections the page opened as resource timing sees them (entries whose connectEnd >
// connectStart: a new TCP + TLS connection).
//
//   node browser-h2.mjs URL SPKI_HASH [--disable-http2]
//
// SPKI_HASH (base64 SHA-256 of the certificate's public key) is trusted through
// --ignore-certificate-errors-spki-list: the page is treated as a valid HTTPS page (cached, no
// interstitial), unlike --ignore-certificate-errors.
import { chromium } from 'playwright-core';

const [url, spki, ...rest] = process.argv.slice(2);
const args = ['--no-sandbox', '--disable-gpu', `--ignore-certificate-errors-spki-list=${spki}`,
  '--disable-background-networking', '--no-first-run', '--no-default-browser-check'];
if (rest.includes('--disable-http2')) args.push('--disable-http2');

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args, timeout: 60000 });
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const started = Date.now();
  const response = await page.goto(url, { waitUntil: 'load', timeout: 120000 });
  const wall = Date.now() - started;
  const figures = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    const entries = [nav, ...resources];
    const protocols = {};
    let connections = 0;
    for (const e of entries) {
      protocols[e.nextHopProtocol || '?'] = (protocols[e.nextHopProtocol || '?'] || 0) + 1;
      if (e.connectEnd > e.connectStart) connections++;
    }
    return {
      loadEventMs: Math.round(nav.loadEventStart),
      resources: resources.length,
      transferBytes: entries.reduce((n, e) => n + (e.transferSize || 0), 0),
      protocols,
      connectionsSeen: connections,
    };
  });
  console.log(JSON.stringify({ status: response.status(), wallMs: wall, ...figures }));
} finally {
  await browser.close();
}
