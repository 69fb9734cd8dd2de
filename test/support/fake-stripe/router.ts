import type { Handler } from './fake.ts';

export type Route = { method: 'GET' | 'POST' | 'DELETE'; path: string; handler: Handler };

type Compiled = Route & { regex: RegExp; names: string[] };

export class Router {
  private routes: Compiled[] = [];

  add(routes: Route[]): void {
    for (const r of routes) {
      const names: string[] = [];
      const source = r.path.replace(/:([a-z_]+)/g, (_m, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      this.routes.push({ ...r, regex: new RegExp(`^${source}$`), names });
    }
  }

  match(method: string, pathname: string): { handler: Handler; path: Record<string, string> } | undefined {
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.regex.exec(pathname);
      if (!m) continue;
      const path: Record<string, string> = {};
      r.names.forEach((n, i) => (path[n] = decodeURIComponent(m[i + 1])));
      return { handler: r.handler, path };
    }
    return undefined;
  }
}
