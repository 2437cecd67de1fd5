import type { HealthStatus } from '../server/health-state.js';
import { assertScopeName } from './naming.js';
import { MetricsScope, type RuntimeContext } from './scope.js';

export class Namespace extends MetricsScope {
  readonly level = 'namespace' as const;

  constructor(
    context: RuntimeContext,
    readonly name: string,
  ) {
    super(context, [name]);
  }

  /** The component of that name in this namespace (the same object on every call). */
  component(name: string): Component {
    assertScopeName('component', name);
    return this.childScope(name, () => new Component(this.context, this, name));
  }
}

export class Component extends MetricsScope {
  readonly level = 'component' as const;

  constructor(
    context: RuntimeContext,
    readonly namespace: Namespace,
    readonly name: string,
  ) {
    super(context, [namespace.name, name]);
  }

  /** The endpoint of that name in this component (the same object on every call). */
  endpoint(name: string): Endpoint {
    assertScopeName('endpoint', name);
    return this.childScope(name, () => new Endpoint(this.context, this, name));
  }
}

export class Endpoint extends MetricsScope {
  readonly level = 'endpoint' as const;

  constructor(
    context: RuntimeContext,
    readonly component: Component,
    readonly name: string,
  ) {
    super(context, [...component.names, name]);
  }

  /**
   * Reports this endpoint's health to the runtime's health state, under the endpoint name
   * (as DYN_SYSTEM_USE_ENDPOINT_HEALTH_STATUS lists them).
   */
  setHealthStatus(status: HealthStatus): void {
    this.context.health.setEndpointStatus(this.name, status);
  }
}
