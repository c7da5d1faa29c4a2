import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { GoMicroserviceProps } from './go-microservice-props';
import { checkPort } from '../core/checks';
import { GantryError } from '../core/errors';

// The ports of a GoMicroservice: named container ports, and the Service ports that expose them. Names are contract:
// probes, the NetworkPolicy and the ServiceMonitor refer to ports by name, never by number.

/** The name of the port that serves metrics. */
export const METRICS_PORT = 'metrics';

/** Container ports by name (`http`, `grpc` when set, `metrics`), checked: distinct, valid, and bindable as non-root. */
export function containerPorts(scope: IConstruct, props: GoMicroserviceProps): { [name: string]: number } {
  const ports: { [name: string]: number } = { http: props.httpPort ?? 8080 };
  checkPort(scope, 'httpPort', ports.http);
  if (props.grpcPort !== undefined) {
    checkPort(scope, 'grpcPort', props.grpcPort);
    ports.grpc = props.grpcPort;
  }
  ports[METRICS_PORT] = props.metricsPort ?? 9090;
  checkPort(scope, 'metricsPort', ports[METRICS_PORT]);
  const seen = new Map<number, string>();
  for (const [name, port] of Object.entries(ports)) {
    const prop = name === 'http' ? 'httpPort' : `${name}Port`;
    if (seen.has(port)) {
      throw GantryError.of(scope, prop, port, `is already the ${seen.get(port)} port`, 'give each port its own number');
    }
    seen.set(port, name);
    if (port < 1024 && !props.security?.allowNetBindService) {
      throw GantryError.of(scope, prop, port, 'is below 1024, which a non-root process cannot listen on',
        'listen on a port from 1024 up (the Service still exposes HTTP on 80), or set \'security.allowNetBindService\'');
    }
  }
  return ports;
}

/** The container's `ports`. */
export function toContainerPorts(ports: { [name: string]: number }): k8s.ContainerPort[] {
  return Object.entries(ports).map(([name, containerPort]) => ({ name, containerPort, protocol: 'TCP' }));
}

/**
 * The Service ports: HTTP on `httpServicePort` (80), gRPC and metrics on their container port numbers, each with its
 * `appProtocol` so that a mesh picks the protocol without guessing.
 */
export function servicePorts(scope: IConstruct, props: GoMicroserviceProps, ports: { [name: string]: number }): k8s.ServicePort[] {
  const httpServicePort = props.httpServicePort ?? 80;
  checkPort(scope, 'httpServicePort', httpServicePort);
  const port = (name: string, number: number, appProtocol: string): k8s.ServicePort =>
    ({ name, port: number, targetPort: k8s.IntOrString.fromString(name), protocol: 'TCP', appProtocol });
  const out = [port('http', httpServicePort, 'http')];
  if (ports.grpc !== undefined) {
    if (ports.grpc === httpServicePort) {
      throw GantryError.of(scope, 'grpcPort', ports.grpc, `is the same as 'httpServicePort' (${httpServicePort}) on the Service`,
        'use another gRPC port or HTTP service port');
    }
    out.push(port('grpc', ports.grpc, 'grpc'));
  }
  if (ports[METRICS_PORT] === httpServicePort) {
    throw GantryError.of(scope, 'metricsPort', ports[METRICS_PORT], `is the same as 'httpServicePort' (${httpServicePort}) on the Service`,
      'use another metrics port or HTTP service port');
  }
  out.push(port(METRICS_PORT, ports[METRICS_PORT], 'http'));
  return out;
}
