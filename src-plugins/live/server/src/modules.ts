import type { Core } from '@strapi/strapi';

/** A route as Strapi's router takes it (only what composing needs to know is typed). */
export type RouteSpec = { method: string; path: string; handler: string; config?: { prefix?: string; [key: string]: unknown } };
export type RouterSpec = { type: string; routes: RouteSpec[] };
type Lifecycle = (strapi: Core.Strapi) => unknown;

/**
 * One domain of the plugin (sessions, payments, …), every one with the same shape: its
 * contracts and store stay inside the module; what Strapi needs is handed over here. Names of
 * services, controllers and content types share the plugin's one namespace
 * (`strapi.plugin('live').service(name)`), so they must be unique across modules.
 */
export type LiveModule = {
  /** Used in error messages: "payments", "sessions". */
  name: string;
  contentTypes?: Record<string, unknown>;
  services?: Record<string, unknown>;
  controllers?: Record<string, unknown>;
  routes?: { 'content-api'?: RouterSpec; admin?: RouterSpec };
  /** Runs in the plugin's bootstrap, in module order. */
  bootstrap?: Lifecycle;
  /** Runs when Strapi stops, in reverse module order. */
  destroy?: Lifecycle;
};

/** Declares a module (only types: the value is returned as is). */
export const defineModule = <M extends LiveModule>(module: M): M => module;

export class ModuleConflictError extends Error {}

const ROUTER_TYPES = ['content-api', 'admin'] as const;

/**
 * Merges modules into the plugin's services, controllers, content types, routes and lifecycle.
 * A name two modules both define is refused with an error naming both, when the plugin loads —
 * spreading objects would silently keep the last one and break the other module at run time.
 * Two routes with the same method and full path in one router are refused the same way.
 */
export function composeModules(modules: LiveModule[]) {
  const merge = (kind: 'service' | 'controller' | 'content type', pick: (m: LiveModule) => Record<string, unknown> | undefined) => {
    const merged: Record<string, unknown> = {};
    const owner = new Map<string, string>();
    for (const module of modules) {
      for (const [name, value] of Object.entries(pick(module) ?? {})) {
        const first = owner.get(name);
        if (first) throw new ModuleConflictError(`[live] the ${kind} "${name}" is defined by both the ${first} and the ${module.name} modules: rename one of them`);
        owner.set(name, module.name);
        merged[name] = value;
      }
    }
    return merged;
  };

  const routes = Object.fromEntries(
    ROUTER_TYPES.map((type) => {
      const seen = new Map<string, string>();
      const list: RouteSpec[] = [];
      for (const module of modules) {
        for (const route of module.routes?.[type]?.routes ?? []) {
          // config.prefix '' puts a content-api route outside /api/live; it is part of the address.
          const key = `${route.method.toUpperCase()} ${route.config?.prefix ?? '<plugin>'}${route.path}`;
          const first = seen.get(key);
          if (first) throw new ModuleConflictError(`[live] the ${type} route ${key} is defined by both the ${first} and the ${module.name} modules`);
          seen.set(key, module.name);
          list.push(route);
        }
      }
      return [type, { type, routes: list }];
    })
  ) as Record<(typeof ROUTER_TYPES)[number], RouterSpec>;

  return {
    services: merge('service', (m) => m.services),
    controllers: merge('controller', (m) => m.controllers),
    contentTypes: merge('content type', (m) => m.contentTypes),
    routes,
    async bootstrap({ strapi }: { strapi: Core.Strapi }) {
      for (const module of modules) await module.bootstrap?.(strapi);
    },
    async destroy({ strapi }: { strapi: Core.Strapi }) {
      for (const module of [...modules].reverse()) await module.destroy?.(strapi);
    },
  };
}

/**
 * A typed accessor for a module's services (`strapi.plugin('live').service()` returns `any`),
 * resolved at call time so services can reach each other regardless of load order.
 */
export const serviceAccessor =
  <Services extends Record<string, (...args: any[]) => unknown>>() =>
  <K extends keyof Services & string>(strapi: Core.Strapi, name: K): ReturnType<Services[K]> =>
    strapi.plugin('live').service(name) as ReturnType<Services[K]>;
