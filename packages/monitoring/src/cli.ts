#!/usr/bin/env node
/** The `promkit` command of @promkit/monitoring: `promkit generate`. */
import { runAsMain, runCommand, UsageError } from './cli/command.js';
import { GENERATE_USAGE, runGenerate } from './generate-cli.js';

const USAGE = `usage: promkit <command> [options]

commands:
  generate    write dashboards, rules, rule tests, manifests and reference docs from catalogs
              (see 'promkit generate --help')

options:
  --help      this text
  --version   the version of @promkit/monitoring

The demo is its own command: npx @promkit/demo`;

const packageJson = new URL('../package.json', import.meta.url);

runAsMain({
  name: 'promkit',
  usage: USAGE,
  packageJson,
  subcommands: true,
  async run(argv) {
    const [command, ...rest] = argv;
    if (command === undefined) throw new UsageError('a command is required');
    if (command !== 'generate') throw new UsageError(`unknown command '${command}'`);
    return runCommand({ name: 'promkit generate', usage: GENERATE_USAGE, packageJson, run: (args) => runGenerate(args) }, rest);
  },
});
