/** Runs a benchmark child (`node --expose-gc --import tsx bench/<script> ...args`) and parses the JSON line it prints. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));

export function runChild<T>(script: string, args: readonly string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const lastLine = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || lastLine === '') {
        reject(new Error(`bench child ${script} ${args.join(' ')} (in ${benchDir}) exited with ${code}:\n${stderr || stdout}`));
        return;
      }
      try {
        resolve(JSON.parse(lastLine) as T);
      } catch (error) {
        reject(new Error(`bench child ${script} ${args.join(' ')} printed no JSON: ${lastLine}`, { cause: error }));
      }
    });
  });
}
