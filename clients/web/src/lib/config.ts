/**
 * Where the router is. `npm start` serves the built app with its settings in
 * `<script id="store-config" type="application/json">` (the URL the launcher gives it); the Vite
 * dev server uses VITE_ROUTER_URL or the default port.
 */
export interface StoreConfig {
  routerUrl: string;
}

export function readConfig(): StoreConfig {
  const text = document.getElementById('store-config')?.textContent;
  const parsed = text ? (JSON.parse(text) as Partial<StoreConfig>) : {};
  return { routerUrl: parsed.routerUrl ?? import.meta.env.VITE_ROUTER_URL ?? 'http://127.0.0.1:4000/graphql' };
}

export const config = readConfig();
