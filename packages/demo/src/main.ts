#!/usr/bin/env node
/**
 * The `promkit` command. Subcommands are loaded lazily so `promkit generate` does not
 * pay for the Kubernetes client and `promkit demo` does not load the Grafana SDK.
 */
const USAGE = `usage: promkit <command> [options]

commands:
  demo        run the reference operators on an embedded Kubernetes API, with metrics
              (see 'promkit demo --help')
  generate    write dashboards, rules, manifests and reference docs from the catalogs
              (see 'promkit generate --help')
  help        this text
`;

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  demo: async () => (await import('./demo-command.js')).runDemoCommand,
  generate: async () => (await import('../monitoring/generate-cli.js')).runGenerate,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`promkit: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  const command = await load();
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`promkit: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
