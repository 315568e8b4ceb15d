/**
 * The route table's matcher: compiles `/api/v2/statements/:handle` style patterns once, then
 * matches a path with one regex per route. Shared by the MSW adapter and the node server.
 */
import type { Surface } from '../domain/errors/types.ts';
import type { Endpoint } from './endpoint.ts';

/** One path of the route table, with an endpoint per method. */
export interface Route {
  readonly pattern: string;
  readonly surface: Surface;
  readonly methods: Readonly<Partial<Record<string, Endpoint>>>;
}

/** A route that matched, with its path parameters. */
export interface RouteMatch {
  readonly route: Route;
  readonly params: Readonly<Record<string, string>>;
}

/** Matches paths against a route table. */
export interface Router {
  match(path: string): RouteMatch | undefined;
  readonly routes: readonly Route[];
}

/**
 * Compiles a route table.
 *
 * @example
 * createRouter(ROUTES).match('/api/v2/statements/abc')?.params.handle // 'abc'
 */
export function createRouter(routes: readonly Route[]): Router {
  const compiled = routes.map((route) => ({ route, ...compile(route.pattern) }));
  return {
    routes,
    match(path) {
      for (const c of compiled) {
        const m = c.regex.exec(path);
        if (!m) continue;
        const params: Record<string, string> = {};
        c.names.forEach((name, i) => {
          params[name] = safeDecode(m[i + 1] ?? '');
        });
        return { route: c.route, params };
      }
      return undefined;
    },
  };
}

function compile(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((part) => (part.startsWith(':') ? (names.push(part.slice(1)), '([^/]+)') : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return { regex: new RegExp(`^${source}/?$`), names };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
