/** `acervo hash-password` and `acervo make-token`: what goes into serve.users and serve.tokens. */
import { Command, Option } from 'commander';
import { AppError } from '../../core/errors.js';
import { hashPassword, newToken, ROLES } from '../../web/auth.js';
import { printLine } from '../output.js';

const MIN_PASSWORD_LENGTH = 10;

export function hashPasswordCommand(): Command {
  return new Command('hash-password')
    .description('read a password on stdin and print its hash, for serve.users[].passwordHash')
    .action(async () => {
      const password = (await readStdin()).replace(/\r?\n$/, '');
      if (password.length < MIN_PASSWORD_LENGTH) throw new AppError('USAGE', `Use a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
      printLine(await hashPassword(password));
    });
}

export function makeTokenCommand(): Command {
  return new Command('make-token')
    .description('print a new API token (shown once) and the lines for serve.tokens')
    .requiredOption('--name <name>', 'who uses it, e.g. backup-script')
    .addOption(new Option('--role <role>', 'what it may do: clerk (search and read), archivist (also review redacted copies), admin (also status and re-index)').choices([...ROLES]).default('clerk'))
    .action((flags: { name: string; role: string }) => {
      const { token, tokenHash } = newToken();
      printLine(`token: ${token}`);
      printLine('');
      printLine('serve:');
      printLine('  tokens:');
      printLine(`    - { name: ${JSON.stringify(flags.name)}, role: ${flags.role}, tokenHash: "${tokenHash}" }`);
    });
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (then Enter; it is shown as you type, so check no one is looking): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (process.stdin.isTTY && chunk.includes(10)) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}
