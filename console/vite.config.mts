// The staff console's build: served by the hotline at /console/ (src/console/ui.ts) from console/dist.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/console/',
  // React's automatic JSX runtime, compiled by Vite's own transformer (no Babel plugin needed).
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Mantine and React make one large chunk; it is cached (hashed names), and staff load it once.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // Mantine marks its files 'use client' (for React Server Components); a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  clearScreen: false,
});
