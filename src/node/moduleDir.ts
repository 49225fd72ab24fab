/**
 * The directory of the compiled `node/` folder, for finding the package's
 * `data/` files. This source serves the CommonJS build and the tests
 * (`__dirname`); the ESM build replaces this module with one reading
 * `import.meta.url` (scripts/build.mjs), since tsc cannot emit both from one file.
 */
export function moduleDir(): string {
  return __dirname;
}
