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
    // The NL Design System React package carries its whole stylesheet and icon set inside its
    // JavaScript (about 790 kB, 160 kB compressed), which no bundler can shake; the rest is small.
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        // Libraries in chunks of their own: they change less often than Quire, so browsers keep them.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/ },
            { name: 'graphql', test: /node_modules[\\/](@apollo|graphql|graphql-ws|rxjs|@wry|optimism|tslib)[\\/]/ },
            { name: 'nl-design-system', test: /node_modules[\\/](@rijkshuisstijl-community|@utrecht|@nl-design-system-candidate|@amsterdam)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/graphql': { target: api, ws: true },
      '/auth': api,
      '/health': api,
    },
  },
});
