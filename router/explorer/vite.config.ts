// The router's self-hosted explorer (GraphiQL 5). Built into router/explorer/dist, which the
// router serves at /explorer: every script, style, font and editor worker is one of these files,
// so the explorer works with no internet. `npm start` builds it; `npm run build:explorer` too.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/explorer/',
  plugins: [react()],
  logLevel: 'warn',
  worker: { format: 'es' },
  build: {
    outDir: process.env.STORE_BUILD_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    // Monaco (GraphiQL's editor) is large by nature; the router serves it from loopback.
    chunkSizeWarningLimit: 6000,
    sourcemap: false,
    rolldownOptions: {
      onLog(level, log, handler) {
        // GraphiQL's React-compiler runtime marks modules "use no memo": harmless once bundled.
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
});
