import * as esbuild from 'esbuild';
import * as http from 'http';
import {AddressInfo} from 'net';
import * as path from 'path';
import {chromiumUnavailable, launchChromium} from '../../scripts/browser/chromium';

// imb.io in a real browser, through indexeddb:// (tfjs registers that scheme only there).
// Needs Chromium (Debian's /usr/bin/chromium or CHROMIUM_PATH); skipped with a note without it.
const noChromium = chromiumUnavailable();
const run = noChromium ? it.skip : it;
if (noChromium) console.warn(`browser io test skipped: ${noChromium}`);

run('io.save / io.load through indexeddb:// in Chromium: identical predictions and the same next-epoch loss', async () => {
  const bundle = await esbuild.build({
    entryPoints: [path.join(__dirname, 'ioPage.ts')], bundle: true, write: false, format: 'iife', platform: 'browser', logLevel: 'silent',
  });
  const script = bundle.outputFiles[0].text;
  // IndexedDB needs a real origin (not about:blank): serve the page from localhost.
  const server = http.createServer((req, res) => {
    if (req.url === '/bundle.js') {
      res.writeHead(200, {'content-type': 'text/javascript'}).end(script);
    } else {
      res.writeHead(200, {'content-type': 'text/html'}).end('<!doctype html><script src="/bundle.js"></script>');
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const browser = await launchChromium(); // Debian's chromium, flags that keep it off the network
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const result = await page.evaluate(() => (window as unknown as {roundTrip: () => Promise<Record<string, unknown>>}).roundTrip());
    expect(result.same).toBe(true);
    expect(result.models).toEqual(['indexeddb://imb-io-test']);
    expect((result.loss as {name: string}).name).toBe('csl');
    expect(Math.abs((result.got as number) - (result.expected as number))).toBeLessThanOrEqual(1e-6);
  } finally {
    await browser.close();
    server.close();
  }
}, 120000);
