/**
 * A tiny static file server on 127.0.0.1 for the browser tests, the browser
 * bench and `npm run example:browser -- --serve`. GET / HEAD only, no
 * directory listings, nothing outside `root`.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm', // WebAssembly.instantiateStreaming insists on it
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** A running server: its base URL (ending in '/') and how to stop it. */
export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the files under `root` (index.html for '/') on 127.0.0.1 at a free port. */
export async function serveStatic(root: string, port = 0): Promise<StaticServer> {
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    const file = path.join(base, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    const inside = file === base || file.startsWith(base + path.sep);
    if (!inside || (req.method !== 'GET' && req.method !== 'HEAD') || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(inside ? 404 : 403, {'content-type': 'text/plain'}).end(`${req.method} ${pathname}: not found`);
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': fs.statSync(file).size,
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const {port: bound} = server.address() as {port: number};
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () => new Promise<void>(resolve => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}
