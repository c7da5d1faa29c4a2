import { IConstruct } from 'constructs';
import { GantryError } from '../core/errors';

// cdktf and the Kubernetes provider's bindings are optional: required when a Terraform export runs, never when the
// library is imported, so that users who never export to Terraform install neither. Only the two modules of the
// bindings that are used are loaded: the package's index loads every resource of the provider (about 1 s and 190 MB,
// against 0.2 s and 25 MB for these two).

/** The parts of cdktf and of @cdktf/provider-kubernetes the export uses. */
export interface CdktfModules {
  readonly cdktf: any;
  readonly Manifest: any;
  readonly KubernetesProvider: any;
}

/** The versions the export is written and tested against: 12.1.1 is the last prebuilt binding, for cdktf 0.21 only. */
const SUPPORTED = [
  { name: 'cdktf', version: /^0\.21\./, shown: '0.21.x' },
  { name: '@cdktf/provider-kubernetes', version: /^12\./, shown: '12.x' },
];
const INSTALL = 'npm install --save-dev cdktf@0.21.0 @cdktf/provider-kubernetes@12.1.1';

/** Loads the modules, or says how to install them. */
export function loadCdktf(scope: IConstruct): CdktfModules {
  for (const { name, version, shown } of SUPPORTED) {
    let installed: string;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      installed = require(`${name}/package.json`).version;
    } catch {
      throw GantryError.of(scope, 'terraform', name, 'is not installed; the Terraform export needs it (it is optional for everything else)', `run '${INSTALL}'`);
    }
    if (!version.test(installed)) {
      throw GantryError.of(scope, 'terraform', `${name}@${installed}`, `is not a version the Terraform export supports (${shown})`, `run '${INSTALL}'`);
    }
  }
  // Optional packages, installed by the users who export (devDependencies here, for the tests and the example).
  /* eslint-disable @typescript-eslint/no-require-imports, import/no-extraneous-dependencies */
  return {
    cdktf: require('cdktf'),
    Manifest: require('@cdktf/provider-kubernetes/lib/manifest').Manifest,
    KubernetesProvider: require('@cdktf/provider-kubernetes/lib/provider').KubernetesProvider,
  };
  /* eslint-enable @typescript-eslint/no-require-imports, import/no-extraneous-dependencies */
}

/** Environment variables cdktf reads at synthesis that would change what it writes (HCL, another outdir, context). */
const CDKTF_ENV = ['SYNTH_HCL_OUTPUT', 'CDKTF_OUTDIR', 'CDKTF_CONTEXT_JSON', 'CDKTF_TARGET_STACK_ID', 'CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS'];

/**
 * Runs `work` with cdktf's environment variables unset: the output depends on the app alone, byte for byte, whoever
 * runs it (a shell that exported SYNTH_HCL_OUTPUT for another project would otherwise get HCL).
 */
export function withoutCdktfEnvironment<T>(work: () => T): T {
  const saved = new Map(CDKTF_ENV.map((k) => [k, process.env[k]]));
  for (const k of CDKTF_ENV) delete process.env[k];
  try {
    return work();
  } finally {
    for (const [k, v] of saved) {
      if (v !== undefined) process.env[k] = v;
    }
  }
}

/** A backend of any type, with its settings as Terraform names them (cdktf's own classes cover a few types each). */
export function genericBackend(cdktf: any, stack: IConstruct, type: string, settings: { [key: string]: any }): void {
  class Backend extends cdktf.TerraformBackend {
    constructor() {
      super(stack, 'backend', type);
    }
    protected synthesizeAttributes() {
      return settings;
    }
    protected synthesizeHclAttributes() {
      return settings;
    }
    public getRemoteStateDataSource(): never {
      throw new Error(`remote state of a ${type} backend is not supported by the Terraform export`);
    }
  }
  new Backend();
}
