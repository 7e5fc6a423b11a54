/**
 * Asks for a password at the terminal without showing it, as ksqlDB's CLI
 * does when `--user` comes without `--password`. Ctrl-C gives up (exit 130).
 */
export function promptPassword(input: NodeJS.ReadStream, output: NodeJS.WriteStream, question: string): Promise<string> {
  output.write(question);
  const wasRaw = input.isRaw;
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve) => {
    let password = '';
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          input.off('data', onData);
          input.setRawMode(wasRaw);
          input.pause();
          output.write('\n');
          resolve(password);
          return;
        }
        if (ch === '\u0003') {
          output.write('\n');
          process.exit(130);
        }
        if (ch === '\u007f' || ch === '\b') password = password.slice(0, -1);
        else password += ch;
      }
    };
    input.on('data', onData);
  });
}
