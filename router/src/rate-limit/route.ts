// Where the rate limit is charged: on arrival, for every request to the GraphQL endpoint (CORS
// preflights excepted, which the CORS route before this one answers), before its body is read.
// So refused requests — over the body limit, malformed JSON, not in the safelist, invalid, too
// expensive, unauthenticated — spend their caller's budget like served ones, and a caller over
// its budget is answered 429 without the router reading, parsing or validating anything. The
// check is the router's memoised context (authentication, then the limiter): the fast path and
// Apollo Server reuse it, so each request is counted exactly once.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { discardRestOfBody, type Route } from '@store/core';
import { isRateLimitRefusal } from './errors.ts';

export interface RateLimitRouteOptions<C extends BaseContext> {
  apollo: ApolloServer<C>;
  /** The router's memoised per-request context, which runs the limiter. */
  context: (req: IncomingMessage) => Promise<C>;
  /** The GraphQL endpoint's path. Default `/graphql`. */
  path?: string;
  /** The router's body limit: after a refusal, at most four times this much unread body is read and dropped. */
  maxBodyBytes: number;
}

export function createRateLimitRoute<C extends BaseContext>(options: RateLimitRouteOptions<C>): Route {
  const path = options.path ?? '/graphql';
  return async (req, res, url) => {
    if (url.pathname !== path) return false;
    try {
      await options.context(req);
      return false;
    } catch (error) {
      // Any other failure (a refused token: 401) is answered where it always was, after the body checks.
      if (!isRateLimitRefusal(error)) return false;
      await answer(options.apollo, req, res, url, error);
      discardRestOfBody(req, options.maxBodyBytes);
      return true;
    }
  };
}

/** The refusal exactly as Apollo Server answers a failed context (status, headers, formatting). */
async function answer<C extends BaseContext>(apollo: ApolloServer<C>, req: IncomingMessage, res: ServerResponse, url: URL, error: Error): Promise<void> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  // The context is all Apollo Server looks at before the body: the body is not needed for this answer.
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body: undefined },
    context: () => Promise.reject(error),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') return void res.end(response.body.string);
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
