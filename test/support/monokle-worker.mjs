// Child-process side of `podSecurityProblems()` in ./validators.ts.
//
// Why a separate process: @monokle/validation 0.33 is ESM-only ("type": "module")
// and Jest 30 on Node 20 cannot load ESM from a CommonJS test without extra
// transform configuration (require(esm) inside Jest needs Node >= 24.9). Running
// the validator here, in plain Node, keeps the Jest config untouched and lets the
// library run exactly as published. validators.ts forks this file once per test
// file and talks to it over the IPC channel.
//
// Protocol (messages over process.send / process.on('message')):
//   worker -> parent  { type: 'ready', rules: [{ id, name, plugin, level }] }
//                     { type: 'fatal', error }                  (load failed)
//   parent -> worker  { id, manifests: object[] } or { id, yaml: string }
//   worker -> parent  { id, findings: Finding[] } or { id, error }
//
// Only plugins that work fully offline are loaded, through DefaultPluginLoader
// (not RemotePluginLoader), so an unknown plugin name fails instead of being
// fetched from plugins.monokle.com:
//   - pod-security-standards (PSS1xx = "baseline" level, PSS2xx = "restricted"):
//     privileged containers, host namespaces/ports/paths, added capabilities,
//     AppArmor/SELinux/procMount/seccomp/sysctls, volume types, privilege
//     escalation, runAsNonRoot / non-zero runAsUser, drop ALL capabilities.
//   - practices (KBPxxx): no :latest / untagged images, CPU and memory
//     requests+limits, read-only root filesystem, drop capabilities, no
//     SYS_ADMIN, no docker.sock, low uid/gid, root group, RBAC pod create/exec,
//     service-account token automount, exposed ssh / privileged ports /
//     NodePort-LoadBalancer services, secrets in env, mount propagation.
//   - resource-links (LNKxxx): references between the objects of the set
//     (Service selector -> pods, Pod -> ConfigMap/Secret/ServiceAccount/PVC,
//     RoleBinding -> Role/subjects, ownerReferences) that resolve to nothing.
//   - yaml-syntax (YMLxxx): YAML-level errors of each document's text. It only
//     sees real mistakes when the caller passes raw YAML text; for objects the
//     text is produced here with `yaml.stringify`, so it is a serializer check.
// Left out on purpose: kubernetes-schema, open-policy-agent, metadata and
// admission-policy download schemas / WASM policies at run time and silently
// report nothing when offline.
//
// Every rule of every loaded plugin is enabled (several are off by default);
// pod-security-standards rules are forced to level "error", the others keep
// their default level (mostly "warning"). Callers filter with `ignore`.

import { DefaultPluginLoader, MonokleValidator, ResourceParser, processRefs } from '@monokle/validation';
import { parseAllDocuments, stringify } from 'yaml';

const PLUGINS = {
  'pod-security-standards': true,
  'practices': true,
  'resource-links': true,
  'yaml-syntax': true,
};
const ERROR_LEVEL_PLUGINS = new Set(['pod-security-standards']);

const parser = new ResourceParser();
// No suppressors: in-manifest suppression annotations must not hide findings;
// the test decides what is accepted (via `ignore`).
const validator = new MonokleValidator({ loader: new DefaultPluginLoader(), parser, suppressors: [] });

async function load() {
  // First pass loads the plugins so their rule ids are known; second pass
  // enables every rule of them.
  await validator.preload({ plugins: PLUGINS });
  const failed = validator.getFailedPlugins();
  if (failed.length > 0) throw new Error(`monokle plugins failed to load: ${failed.join(', ')}`);
  const rules = {};
  for (const [plugin, pluginRules] of Object.entries(validator.rules)) {
    for (const rule of pluginRules) rules[rule.id] = ERROR_LEVEL_PLUGINS.has(plugin) ? 'err' : true;
  }
  await validator.preload({ plugins: PLUGINS, rules });
  const out = [];
  for (const plugin of validator.getPlugins()) {
    for (const rule of plugin.rules) {
      const config = plugin.getRuleConfig(rule.id);
      if (!config.enabled) throw new Error(`rule ${rule.id} could not be enabled`);
      out.push({ id: rule.id, name: rule.name, plugin: plugin.metadata.name, level: config.level });
    }
  }
  return out;
}

let requestCounter = 0;

/** Turns the request into monokle `Resource`s (ids unique per request: the parser caches by id). */
function toResources(request) {
  const prefix = `req${++requestCounter}`;
  const docs = [];
  if (typeof request.yaml === 'string') {
    const src = request.yaml;
    for (const doc of parseAllDocuments(src)) {
      let content;
      try {
        content = doc.toJS();
      } catch {
        // Broken beyond conversion (e.g. an unresolved alias): keep what
        // identifies the object so yaml-syntax can still report on its text.
        const get = p => (doc.contents && typeof doc.getIn === 'function' ? doc.getIn(p) : undefined);
        content = { apiVersion: get(['apiVersion']), kind: get(['kind']), metadata: { name: get(['metadata', 'name']) } };
      }
      if (content === null || content === undefined) continue;
      const [start, , end] = doc.range;
      docs.push({ content, text: src.slice(start, end), fileOffset: src.slice(0, start).split('\n').length - 1 });
    }
  } else {
    for (const content of request.manifests) docs.push({ content, text: stringify(content), fileOffset: 0 });
  }
  return docs.map(({ content, text, fileOffset }, i) => ({
    id: `${prefix}-${i}`,
    fileId: `${prefix}-${i}`,
    filePath: typeof request.yaml === 'string' ? 'input.yaml' : `manifest-${i}.yaml`,
    fileOffset,
    name: content?.metadata?.name ?? '',
    apiVersion: content?.apiVersion ?? '',
    kind: content?.kind ?? '',
    namespace: content?.metadata?.namespace,
    content,
    text,
  }));
}

function toFinding(result, byId) {
  const resourceLocation = result.locations?.find(l => l.physicalLocation?.artifactLocation?.uriBaseId === 'RESOURCE');
  const resource = byId.get(resourceLocation?.physicalLocation?.artifactLocation?.uri);
  const element = resourceLocation?.logicalLocations?.find(l => l.kind === 'element');
  let message = result.message?.text ?? '';
  // resource-links results only say "Unsatisfied resource link."; quote the
  // YAML line holding the dangling reference so the finding is actionable.
  const line = resourceLocation?.physicalLocation?.region?.startLine;
  if (resource && result.ruleId?.startsWith('LNK') && line) {
    const source = resource.text.split('\n')[line - 1]?.trim().replace(/^- /, '');
    if (source) message += ` (${source})`;
  }
  return {
    ruleId: result.ruleId,
    level: result.level ?? 'warning',
    kind: resource?.kind ?? '?',
    name: resource?.name ?? '?',
    namespace: resource?.namespace,
    path: element?.fullyQualifiedName,
    message,
  };
}

async function validate(request) {
  const resources = toResources(request);
  const ids = resources.map(r => r.id);
  try {
    processRefs(resources, parser); // required before resource-links can see anything
    const response = await validator.validate({ resources });
    const byId = new Map(resources.map(r => [r.id, r]));
    return response.runs.flatMap(run => run.results).map(r => toFinding(r, byId));
  } finally {
    parser.clear(ids);
  }
}

const loading = load();
loading.then(
  rules => process.send({ type: 'ready', rules }),
  err => process.send({ type: 'fatal', error: String(err?.stack ?? err) }),
);

// Requests are handled one at a time: the validator and parser are shared.
let queue = loading;
process.on('message', request => {
  queue = queue
    .then(() => validate(request))
    .then(
      findings => process.send({ id: request.id, findings }),
      err => process.send({ id: request.id, error: String(err?.stack ?? err) }),
    );
});
// Parent (the Jest worker) went away or asked us to stop.
process.on('disconnect', () => process.exit(0));
