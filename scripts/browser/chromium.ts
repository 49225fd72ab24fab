/**
 * Headless Chromium for the browser tests and the browser bench: Debian's
 * `chromium` driven by playwright-core (no browser download). Set
 * CHROMIUM_PATH to use another binary.
 */
import * as fs from 'fs';
import type {Browser, Page} from 'playwright-core';

/** The Chromium binary: $CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Launch flags. The network ones keep Chromium from calling home on a closed
 * network; WebGL and WebGPU run on SwiftShader (software, no GPU needed), so
 * the results are the same on every machine. `--enable-unsafe-webgpu` exposes
 * SwiftShader's WebGPU adapter, which headless Chromium otherwise hides.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox', // CI runs as root
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--no-pings',
  '--no-first-run',
  '--disable-quic',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--enable-unsafe-webgpu',
];

/** Why the browser tests cannot run here, or null if they can. */
export function chromiumUnavailable(): string | null {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    return `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  }
  try {
    require.resolve('playwright-core');
  } catch {
    return 'playwright-core is not installed (npm ci)';
  }
  return null;
}

/** Launches headless Chromium with {@link CHROMIUM_ARGS} and a fresh profile. */
export async function launchChromium(): Promise<Browser> {
  const {chromium} = await import('playwright-core');
  return chromium.launch({executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS});
}

/**
 * Collects the page's console errors and uncaught exceptions, so a failing
 * test can say what went wrong inside the page.
 */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', e => errors.push(`pageerror: ${e.message}`));
  page.on('console', m => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  return errors;
}
