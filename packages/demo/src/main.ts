#!/usr/bin/env node
/** `promkit-demo` (`npx @promkit/demo`, and `npm start` in the repository): see demo-command.ts. */
import { runAsMain } from '@promkit/monitoring';
import { runDemoCommand } from './demo-command.js';
import { DEMO_USAGE } from './demo/options.js';

runAsMain({ name: 'promkit-demo', usage: DEMO_USAGE, packageJson: new URL('../package.json', import.meta.url), run: runDemoCommand });
