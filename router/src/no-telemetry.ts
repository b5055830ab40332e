/**
 * Imported first by the entry point, before anything can load `@apollo/gateway`: the gateway's
 * constructor otherwise starts an Apollo usage-metrics exporter whose cloud resource detectors
 * probe metadata addresses (169.254.169.254, metadata.google.internal...). The router never
 * calls home. `createRouter` enforces the same (see `disableApolloTelemetry`).
 */
export function disableApolloTelemetry(env: NodeJS.ProcessEnv = process.env): void {
  // The gateway only honours 'true' and '1'; anything else (even '0') would turn telemetry on.
  if (env.APOLLO_TELEMETRY_DISABLED !== 'true' && env.APOLLO_TELEMETRY_DISABLED !== '1') env.APOLLO_TELEMETRY_DISABLED = '1';
}

disableApolloTelemetry();
