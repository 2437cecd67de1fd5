#!/usr/bin/env node
// Fails when a tracked text file still holds merge-conflict markers. Biome parses code
// (a marker there is a syntax error) but not Markdown or YAML, where two once slipped
// through into docs/.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const files = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
const marker = /^(<{7}|>{7}) /m;
const found = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // deleted in the working tree
  }
  if (text.includes('\0')) continue; // binary
  const match = marker.exec(text);
  if (match) found.push(`${file}:${text.slice(0, match.index).split('\n').length}`);
}
if (found.length > 0) {
  console.error(`merge-conflict markers in:\n  ${found.join('\n  ')}`);
  process.exit(1);
}
