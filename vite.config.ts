import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The web page (src/web) bundled into dist/web, which `borderline serve` serves at /. Nothing is fetched from a CDN. */
export default defineConfig({
  root: fileURLToPath(new URL('src/web', import.meta.url)),
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  logLevel: 'warn',
});
