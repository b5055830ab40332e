// The router's explorer: GraphiQL 5 with its doc explorer and history, the operation builder
// (@graphiql/plugin-explorer), the headers editor (for `authorization: Bearer <token>`) and a
// query-plan panel. Everything is bundled: Monaco's workers and the fonts come from this router.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';
import '@graphiql/react/font/roboto.css';
import '@graphiql/react/font/fira-code.css';
import './style.css';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import { GraphiQL } from 'graphiql';
import { createRoot } from 'react-dom/client';
import { createFetcher, createPlanStore, readSettings } from './plan-store.ts';
import { queryPlanPlugin } from './query-plan-plugin.tsx';

const DEFAULT_QUERY = `# One endpoint in front of six subgraphs. Run with Ctrl-Enter or ▶;
# "Query plan" (left) shows which subgraphs answer, in which order.
#
# Signed-in fields (me, placeOrder…): run
#   mutation { logIn(email: "demo@store.example", password: "demo-password") { token } }
# then put { "authorization": "Bearer <token>" } in Headers (below).

query Products {
  products(first: 3) {
    edges {
      node {
        name
        price { amount currency }
        inStock
        averageRating
        reviews(first: 2) { edges { node { rating author { name } } } }
      }
    }
  }
}
`;

const settings = readSettings();
const plans = createPlanStore();
const plugins = [explorerPlugin(), queryPlanPlugin(plans, settings.queryPlans)];

createRoot(document.getElementById('explorer')!).render(
  <GraphiQL
    fetcher={createFetcher(settings, plans)}
    plugins={plugins}
    defaultQuery={DEFAULT_QUERY}
    defaultHeaders={'{\n  \n}'}
    defaultEditorToolsVisibility="headers"
  />,
);
