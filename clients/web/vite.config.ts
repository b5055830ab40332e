// The storefront. `npm start` builds it (into dist/, or STORE_BUILD_OUT_DIR) and serves the files
// itself, telling the page the router's URL; `npm run dev -w @store/web` runs Vite's dev server
// against VITE_ROUTER_URL (default http://127.0.0.1:4000/graphql).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  logLevel: 'warn',
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  build: { outDir: process.env.STORE_BUILD_OUT_DIR ?? 'dist', emptyOutDir: true, sourcemap: false },
});
