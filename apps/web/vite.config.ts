import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// In development the api runs on :3000 and serves GraphQL, sign-in redirects and health checks.
const api = 'http://localhost:3000';

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    // The api serves dist/web in production (see libs/runtime/api/src/bootstrap.ts).
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/graphql': { target: api, ws: true },
      '/auth': api,
      '/health': api,
    },
  },
});
