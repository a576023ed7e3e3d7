// The theme's tokens (for the rhc-theme class on <body>). The components' own stylesheet
// (components-css) arrives with @rijkshuisstijl-community/components-react, which injects it.
import '@rijkshuisstijl-community/design-tokens/dist/index.css';
import './styles.css';
import './i18n';
import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router/dom';
import { createRouter } from './App';
import { createApolloClient } from './graphql/client';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <ApolloProvider client={createApolloClient()}>
      <RouterProvider router={createRouter()} />
    </ApolloProvider>
  </StrictMode>,
);
