// How catalog triggers translate into Azure Functions binding values (the local host reads the
// catalog as is).

/**
 * The site root: the Functions host does not route "/" or "" to a function, but an optional,
 * always-empty parameter matches the root (routePrefix is "" in host.json).
 */
export function azureRoute(route: string): string {
  return route === "/" ? "{root:maxlength(0)?}" : route;
}

/** The host resolves `%SETTING%` from app settings (infra sets each to the catalog default). */
export function azureSchedule(trigger: { schedule: string; scheduleSetting?: string }): string {
  return trigger.scheduleSetting ? `%${trigger.scheduleSetting}%` : trigger.schedule;
}
